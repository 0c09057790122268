"""The task queue (Procrastinate, jobs in PostgreSQL): work queued in the transaction that caused it, run by a
real worker, and the periodic jobs that replace cron lines."""

import asyncio
import threading

import pytest
from django.db import transaction
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.periodic import PeriodicDeferrer

from recommendations import tasks
from recommendations.models import PopularitySnapshot

from .factories import ArticleFactory, FavoriteFactory


def in_own_thread(function):
    """Call `function` in a new thread and return what it returns: the queue runs its own event loop, and
    the browser tests leave one running in this thread."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("value", function()))
    thread.start()
    thread.join()
    return outcome.get("value")


def run_worker_until_idle():
    """A real worker, on its own connection pool as `manage.py procrastinate worker` runs it, until no job is
    left."""

    def work():
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    in_own_thread(work)


def test_the_recommendations_rebuild_runs_every_hour_at_the_hour():
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["recommendations.tasks.rebuild_recommendations"] == "0 * * * *"


@pytest.mark.usefixtures("empty_queue")
def test_a_worker_runs_the_rebuild_queued_and_nothing_queued_in_a_rolled_back_transaction():
    FavoriteFactory(article=ArticleFactory())

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        tasks.rebuild_recommendations.defer(timestamp=1)
        raise Undone
    assert not ProcrastinateJob.objects.exists()

    with transaction.atomic():
        tasks.rebuild_recommendations.defer(timestamp=2)
    run_worker_until_idle()

    # The worker also queued the periodic jobs due as it started (the newsletter's minute check, and in the first
    # minutes of an hour that hour's rebuild), so the job is found by its arguments.
    job = ProcrastinateJob.objects.get(task_name="recommendations.tasks.rebuild_recommendations", args={"timestamp": 2})
    assert job.status == "succeeded"
    assert PopularitySnapshot.objects.exists()


async def defer_ticks(deferrer, ticks):
    """What a worker's periodic deferrer does when these (task, timestamp) ticks have come round."""
    async with app.open_async():
        await deferrer.defer_jobs(ticks)


@pytest.mark.usefixtures("empty_queue")
def test_hourly_rebuilds_due_while_none_ran_wait_as_one_job():
    """The queueing lock: hours that come round while a rebuild still waits (a worker stopped, or busy) add
    nothing, so a worker coming back runs one rebuild, not one per hour missed."""
    hourly = next(
        task
        for task in app.periodic_registry.periodic_tasks.values()
        if task.task.name == "recommendations.tasks.rebuild_recommendations"
    )
    with app.replace_connector(app.connector.get_worker_connector()):
        deferrer = PeriodicDeferrer(registry=app.periodic_registry)
        ticks = [(hourly, 1_767_225_600 + 3600 * hour) for hour in range(5)]
        in_own_thread(lambda: asyncio.run(defer_ticks(deferrer, ticks)))
    assert ProcrastinateJob.objects.filter(status="todo").count() == 1
