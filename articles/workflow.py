"""The editorial workflow as data: which status changes exist and who may make them.

Draft → in review → approved by a medical reviewer → published (now, or scheduled with a future
publish date). Only approved articles can be published, whoever asks: superusers pass every
permission check but follow the same order. Decisions on moves the brief left open:

- Editors may send a published article back to review (it leaves the site), as they always could.
- Writers cannot withdraw an article from review themselves; a reviewer or editor sends it back.
- Archiving is open from every status but archived; an archived article comes back only as a draft.
- Changing the publish date of a published article is an edit, not a status change.
"""

from dataclasses import dataclass

from .models import Article

Status = Article.Status

CHANGE_PERMISSION = "articles.change_article"
APPROVE_PERMISSION = "articles.approve_article"
PUBLISH_PERMISSION = "articles.publish_article"

EDITORS_ONLY = "Only editors can publish, schedule, unpublish, archive or restore articles."
REVIEWERS_OR_EDITORS = "Only medical reviewers and editors can send an article back."


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str  # what the status list offers, phrased as the action
    permissions: tuple[str, ...]  # any one of them is enough
    refusal: str  # why someone without any of them may not


TRANSITIONS = (
    Transition(Status.DRAFT, Status.IN_REVIEW, "Submit for review", (CHANGE_PERMISSION,),
               "You cannot edit articles, so you cannot submit them for review."),
    Transition(Status.IN_REVIEW, Status.APPROVED, "Approve the medical content", (APPROVE_PERMISSION,),
               "Only medical reviewers can approve articles."),
    Transition(Status.IN_REVIEW, Status.DRAFT, "Request changes (back to draft)",
               (APPROVE_PERMISSION, PUBLISH_PERMISSION), REVIEWERS_OR_EDITORS),
    Transition(Status.APPROVED, Status.PUBLISHED, "Publish (a future publish date schedules it)",
               (PUBLISH_PERMISSION,), EDITORS_ONLY),
    Transition(Status.APPROVED, Status.IN_REVIEW, "Send back to review",
               (APPROVE_PERMISSION, PUBLISH_PERMISSION), REVIEWERS_OR_EDITORS),
    Transition(Status.APPROVED, Status.DRAFT, "Send back to draft",
               (APPROVE_PERMISSION, PUBLISH_PERMISSION), REVIEWERS_OR_EDITORS),
    Transition(Status.PUBLISHED, Status.DRAFT, "Unpublish (back to draft)", (PUBLISH_PERMISSION,), EDITORS_ONLY),
    Transition(Status.PUBLISHED, Status.IN_REVIEW, "Unpublish and send back to review", (PUBLISH_PERMISSION,),
               EDITORS_ONLY),
    *(Transition(source, Status.ARCHIVED, "Archive", (PUBLISH_PERMISSION,), EDITORS_ONLY)
      for source in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED)),
    Transition(Status.ARCHIVED, Status.DRAFT, "Restore as a draft", (PUBLISH_PERMISSION,), EDITORS_ONLY),
)  # fmt: skip

_BY_STATUSES = {(transition.source, transition.target): transition for transition in TRANSITIONS}


def transition_between(source, target):
    return _BY_STATUSES.get((source, target))


def may_make(user, transition):
    return any(user.has_perm(permission) for permission in transition.permissions)


def may_move_to(user, target):
    """Whether `user` may make some move into `target` (e.g. archive anything archivable)."""
    return any(t.target == target and may_make(user, t) for t in TRANSITIONS)


def may_move_from(user, source):
    return any(t.source == source and may_make(user, t) for t in TRANSITIONS)


def transitions_open_to(user, source):
    """The moves `user` may make from `source`, in the table's order, for the status list."""
    return [transition for transition in TRANSITIONS if transition.source == source and may_make(user, transition)]


NO_REVIEWER = "Name the medical reviewer (under Medical review) before approving: readers see who checked it."


def content_refusal(article, target):
    """Why `article` itself cannot make the move yet, or '': approval needs a named medical reviewer."""
    if target == Status.APPROVED and not article.medical_reviewer_id:
        return NO_REVIEWER
    return ""


def refusal(user, source, target):
    """Why `user` may not move an article from `source` to `target`, or '' when they may."""
    if source == target:
        return f"The article is already {Status(source).label.lower()}."
    transition = transition_between(source, target)
    if transition is None:
        if target == Status.PUBLISHED:
            return "Only articles approved by a medical reviewer can be published or scheduled."
        if target == Status.APPROVED:
            return "Only articles in review can be approved."
        return f"An article that is {Status(source).label.lower()} cannot become {Status(target).label.lower()}."
    return "" if may_make(user, transition) else transition.refusal
