"""When weekly emails go out: Mondays at 09:00, the site's time (TIME_ZONE), through summer time."""

from datetime import datetime, time, timedelta

from django.utils import timezone

WEEKLY_HOUR = 9
# Jobs check hourly and act within this long after the moment, so a worker that was down at nine still sends
# the week's emails; their send keys, one per week, keep them to once.
LATE_BY_AT_MOST = timedelta(days=1)


def weekly_moment_due(now):
    """This week's Monday 09:00 if `now` is within a day after it, else None."""
    local = timezone.localtime(now)
    monday = local.date() - timedelta(days=local.weekday())
    moment = timezone.make_aware(datetime.combine(monday, time(WEEKLY_HOUR)))
    return moment if moment <= now < moment + LATE_BY_AT_MOST else None
