"""Editing an article in the admin without losing anyone's work: who else has it open (presence),
each user's private autosave of unsaved work, and what others did to an article since a form was
opened (the edit check). The admin's side is in admin_editing.py."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone  # only timezone.now, so tests can hold the clock still
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_aware, localdate, localtime

from .models import Article, ArticleRevision, ArticleTransition, AutosavedDraft, EditingPresence

# A change form says it is still open every 20-30 seconds; one not heard from for this long is closed.
PRESENCE_EXPIRES_AFTER = timedelta(seconds=60)

AUTOSAVE_MAX_FIELDS = 2000
# The edit check's fields: restored with the work, a save of it is checked against the version it began from.
OPENED_FIELDS = ("version", "opened_at")
FORMER_STAFF = "someone no longer on the staff"


def staff_name(user):
    """What colleagues call someone: their full name, else their email address."""
    if user is None:
        return FORMER_STAFF
    return user.get_full_name() or user.email


def clock_time(moment):
    """A moment in the newsroom's time zone: '10:04' today, '3 Dec 2026, 10:04' on another day."""
    local = localtime(moment)
    return local.strftime("%H:%M") if local.date() == localdate() else local.strftime("%-d %b %Y, %H:%M")


def _listed(words):
    words = list(words)
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


# --- Presence --------------------------------------------------------------------------------


def presence_heartbeat(*, article, user):
    """Note that `user` has the article's change form open, and return the others who have it open,
    longest first. Coming back after the presence expired starts a new one ('since' starts again)."""
    now = timezone.now()
    table = connection.ops.quote_name(EditingPresence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS presence (article_id, user_id, started_at, last_seen)
            VALUES (%(article)s, %(user)s, %(now)s, %(now)s)
            ON CONFLICT (article_id, user_id) DO UPDATE SET
                started_at = CASE WHEN presence.last_seen <= %(expired)s
                    THEN EXCLUDED.started_at ELSE presence.started_at END,
                last_seen = EXCLUDED.last_seen
            """,
            {"article": article.pk, "user": user.pk, "now": now, "expired": now - PRESENCE_EXPIRES_AFTER},
        )
    return others_present(article=article, user=user, now=now)


def others_present(*, article, user, now=None):
    """Who else has the article open: a heartbeat within PRESENCE_EXPIRES_AFTER, and not `user`."""
    now = now or timezone.now()
    return list(
        EditingPresence.objects.filter(article=article, last_seen__gt=now - PRESENCE_EXPIRES_AFTER)
        .exclude(user=user)
        .select_related("user")
        .order_by("started_at", "pk")
    )


def presence_leave(*, article, user):
    EditingPresence.objects.filter(article=article, user=user).delete()


# --- Autosave --------------------------------------------------------------------------------


def autosave_data_from(payload):
    """The autosave a change form sends, checked: {"fields": [[name, value], ...] in the form's order,
    "labels": [[name, value, text], ...] for the chosen options of its lists, "opened": [[name, value],
    ...] with the version and time the form was opened at}. Raises ValueError saying what is wrong."""
    if not isinstance(payload, dict) or not isinstance(payload.get("fields"), list):
        raise ValueError("An autosave is an object with the form's fields as a list of [name, value] pairs.")
    parts = {"fields": payload["fields"], "labels": payload.get("labels", []), "opened": payload.get("opened", [])}
    if sum(len(items) for items in parts.values() if isinstance(items, list)) > AUTOSAVE_MAX_FIELDS:
        raise ValueError(f"An autosave holds at most {AUTOSAVE_MAX_FIELDS} fields.")
    for key, size, shape in (("fields", 2, "[name, value] pairs"), ("labels", 3, "[name, value, text] triples"),
                             ("opened", 2, "[name, value] pairs")):  # fmt: skip
        items = parts[key]
        if not isinstance(items, list) or not all(
            isinstance(item, list) and len(item) == size and all(isinstance(x, str) for x in item) for item in items
        ):
            raise ValueError(f"The {key} of an autosave must be a list of {shape} of text.")
    if any(name not in OPENED_FIELDS for name, _ in parts["opened"]):
        raise ValueError(f"An autosave notes only {' and '.join(OPENED_FIELDS)} of the form's opening.")
    # The CSRF token is a secret of the session, never part of the user's work.
    parts["fields"] = [item for item in parts["fields"] if item[0] != "csrfmiddlewaretoken"]
    return parts


def autosave_store(*, user, article, data):
    """Keep `data` as the user's one autosave of the article (replacing any earlier one); returns it."""
    draft = AutosavedDraft(user=user, article=article, data=data, saved_at=timezone.now())
    AutosavedDraft.objects.bulk_create(
        [draft], update_conflicts=True, unique_fields=["user", "article"], update_fields=["data", "saved_at"]
    )
    return draft


def autosave_offered(*, user, article_id):
    """The user's autosave of the article if it is newer than the article's last save, else None."""
    return AutosavedDraft.objects.filter(
        user=user, article_id=article_id, saved_at__gt=F("article__updated_at")
    ).first()


def autosave_discard(*, user, article):
    """Delete the user's autosave of the article; returns how many were deleted (0 or 1)."""
    return AutosavedDraft.objects.filter(user=user, article=article).delete()[0]


# --- The edit check --------------------------------------------------------------------------


@dataclass(frozen=True)
class EditConflict:
    version: int  # the article's version now
    status: str  # its status now
    status_when_opened: str
    events: tuple[str, ...]  # who did what since the form was opened, oldest first


def opened_at_from(text):
    """The moment a form was opened, from its hidden field; None if missing or garbled."""
    try:
        moment = parse_datetime(text or "")
    except ValueError:
        return None
    return moment if moment is not None and is_aware(moment) else None


def edit_conflict(*, article_id, opened_version, opened_at, user):
    """None when a form opened at `opened_version` is still current, else what happened since.

    Locks the article's row until the transaction ends (call it inside one, as the admin's save is),
    so no other save can come between this check and the save it allows."""
    current = Article.objects.select_for_update().filter(pk=article_id).values("version", "status").first()
    if current is None or current["version"] == opened_version:
        return None
    events, moves = [], []
    if opened_at is not None:
        revisions = (
            ArticleRevision.objects.filter(article_id=article_id, created_at__gt=opened_at)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        moves = list(
            ArticleTransition.objects.filter(article_id=article_id, created_at__gt=opened_at)
            .exclude(from_status=F("to_status"))
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        events = sorted(
            [(revision.created_at, _revision_event(revision, user)) for revision in revisions]
            + [(move.created_at, _move_event(move, user)) for move in moves],
            key=lambda event: event[0],
        )
        if not events:  # e.g. only the publish date changed, which keeps no revision: the admin's log says who
            events = [(entry.action_time, _log_event(entry, user)) for entry in _log_entries(article_id, opened_at)]
    return EditConflict(
        version=current["version"],
        status=current["status"],
        status_when_opened=moves[0].from_status if moves else current["status"],
        events=tuple(text for _, text in events),
    )


def _who(someone, user):
    return "You (in another window)" if someone is not None and someone == user else staff_name(someone)


def _revision_event(revision, user):
    action = f"{_who(revision.author, user)} saved it at {clock_time(revision.created_at)}"
    if revision.summary:  # e.g. "Restored revision 3", or "First recorded version" (which lists no changes)
        action += f" ({revision.summary[:1].lower()}{revision.summary[1:]})"
    labels = revision.changed_labels
    return f"{action}, changing the {_listed(labels)}." if labels else f"{action}."


def _move_event(move, user):
    return (
        f"{_who(move.actor, user)} moved it from {move.get_from_status_display()} to "
        f"{move.get_to_status_display()} at {clock_time(move.created_at)}."
    )


def _log_entries(article_id, opened_at):
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article_id),
            action_time__gt=opened_at,
        )
        .select_related("user")
        .order_by("action_time", "pk")
    )


def _log_event(entry, user):
    change = entry.get_change_message().rstrip(".")
    return f"{_who(entry.user, user)} saved it at {clock_time(entry.action_time)} ({change[:1].lower()}{change[1:]})."
