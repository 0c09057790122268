"""What the article admin tells staff after a save or a bulk action: what really happened, at a level
that matches it (a scheduled article is not "published"; an action that changed nothing is a warning,
never a green success). Pure functions: they take what happened and return (text, level) pairs."""

from typing import NamedTuple

from django.contrib import messages
from django.utils import timezone

from .models import Article

Status = Article.Status

# What a move did, for "Approved 2 articles." and "No article was approved."
DONE = {
    Status.APPROVED: ("Approved {}.", "approved"),
    Status.PUBLISHED: ("Published {}.", "published or scheduled"),
    Status.IN_REVIEW: ("Sent {} to review.", "sent to review"),
    Status.DRAFT: ("Moved {} back to draft.", "moved back to draft"),
    Status.ARCHIVED: ("Archived {}.", "archived"),
}
# Beyond this many different times, a bulk schedule names only the first and the last.
TIMES_NAMED = 3


class Message(NamedTuple):
    text: str
    level: int


def plural(count, one, many):
    return one if count == 1 else many


def articles(count):
    return f"{count} {plural(count, 'article', 'articles')}"


def moment(value, *, now):
    """'3 December, 09:00' in the newsroom's time zone (the TIME_ZONE setting); the year only when it
    is not the current one."""
    zone = timezone.get_default_timezone()
    local = timezone.localtime(value, zone)
    year = "" if local.year == timezone.localtime(now, zone).year else f" {local.year}"
    return f"{local.day} {local:%B}{year}, {local:%H:%M}"


def after_save(*, article, outcome):
    """What a save of the change form did to the status; `outcome` is services.article_save's (a refused
    move has its own message). A medical change that sent the article back to review has its own warning,
    and a timeline note (from and to the same status) is no move."""
    step = outcome.transition if outcome else None
    if step is None or outcome.sent_back_to_review or step.from_status == step.to_status:
        return []
    title = f"“{article}”"
    if step.to_status == Status.PUBLISHED:
        if article.publish_at and article.publish_at > step.created_at:
            when = moment(article.publish_at, now=step.created_at)
            return [Message(f"Scheduled {title} for {when}: readers see it from then.", messages.SUCCESS)]
        return [Message(f"Published {title}: readers see it now.", messages.SUCCESS)]
    return [Message(DONE[step.to_status][0].format(title), messages.SUCCESS)]


def after_bulk(*, to_status, outcome, now=None):
    """What a bulk status action did (`outcome` is services.article_transition_bulk's): how many
    moved, with published and scheduled counted apart, then the articles left as they were and why."""
    done, none_done = DONE[to_status]
    if not outcome.changed:
        said = [Message(f"No article was {none_done}.", messages.WARNING)]
    else:
        scheduled = len(outcome.scheduled)
        now_count = outcome.changed - scheduled
        sentences = [done.format(articles(now_count))] if now_count else []
        if scheduled:
            how_many = scheduled if sentences else articles(scheduled)
            sentences.append(f"Scheduled {how_many} {scheduled_for(outcome.scheduled, now=now or timezone.now())}.")
        said = [Message(" ".join(sentences), messages.SUCCESS)]
    return said + skipped(outcome.skipped)


def scheduled_for(times, *, now):
    """'for 3 December, 09:00', or for several times '2 for 3 December, 09:00 and 1 for 4 December, 10:00'."""
    counts = {}
    for value in sorted(times):
        when = moment(value, now=now)
        counts[when] = counts.get(when, 0) + 1
    if len(counts) == 1:
        return f"for {next(iter(counts))}"
    if len(counts) > TIMES_NAMED:
        whens = list(counts)
        return f"from {whens[0]} to {whens[-1]}"
    parts = [f"{count} for {when}" for when, count in counts.items()]
    return f"({', '.join(parts[:-1])} and {parts[-1]})"


def skipped(reasons):
    """One warning per reason articles were left as they were ({reason: count})."""
    return [
        Message(f"{articles(count)} left as {plural(count, 'it was', 'they were')}: {reason}", messages.WARNING)
        for reason, count in reasons.items()
    ]


def after_archive(outcome, *, title=None):
    """What archiving did (`outcome` is services.article_archive's); `title` names a single article.
    Changes awaiting review that were archived are discarded, which counts here as archiving."""
    count = outcome.changed
    if not count:
        return [Message("No article was archived.", messages.WARNING), *skipped(outcome.skipped)]
    if title is not None:
        text = f"“{title}” was archived: it is off the site and can be restored."
    else:
        text = (
            f"Archived {articles(count)}: {plural(count, 'it is', 'they are')} off the site and can be restored "
            "with “Restore archived articles”."
        )
    return [Message(text, messages.SUCCESS), *skipped(outcome.skipped)]


def after_unarchive(outcome):
    """What restoring from the archive did (`outcome` is services.article_unarchive's, which counts the
    selected articles that were not archived as skipped)."""
    restored, left = outcome.changed, sum(outcome.skipped.values())
    if restored:
        text = f"Restored {restored} archived {plural(restored, 'article as a draft', 'articles as drafts')}."
        said = [Message(text, messages.SUCCESS)]
    else:
        said = [Message("No article was restored: none of the selected articles was archived.", messages.WARNING)]
    if restored and left:
        text = (
            f"{left} selected {plural(left, 'article was', 'articles were')} not archived, so "
            f"{plural(left, 'it stays as it is', 'they stay as they are')}."
        )
        said.append(Message(text, messages.WARNING))
    return said
