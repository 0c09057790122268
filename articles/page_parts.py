"""The parts other apps add to a page (promotions, suggestions, the reader's saves and answers), gathered
by the view before rendering, so templates and their tags only format: no tag runs a query.

The articles app does not know those apps: each registers a provider in its AppConfig.ready(). A provider
takes the Page and returns context entries; it costs nothing for a part the page does not show. A
personal provider's entries (the reader's saves, their recommendations) are kept for a signed-in reader
(see gather), so they may depend only on the page's parts, the reader and what is published, and the
provider may not note anything on the request."""

from dataclasses import dataclass

providers = []
personal_providers = []
watchers = []
# The accounts app's kept_for_reader(user, parts, build), registered in its AppConfig.ready().
keepers = []


def provider(func, *, personal=False):
    """Register `func(page) -> dict` to add its entries to every page's context; `personal` when they belong
    to the reader."""
    (personal_providers if personal else providers).append(func)
    return func


def topic(kind, value):
    """A topic a reader may follow from a page, as Page.topics lists it and the follow forms post it:
    'section:<slug>', 'tag:<slug>' or 'drug:<generic name in lower case>'."""
    return f"{kind}:{value}"


@dataclass(frozen=True)
class Page:
    request: object
    article: object = None  # the article being read
    card_ids: tuple = ()  # the ids of the articles shown as cards
    placements: tuple = ()  # promotion slots the page shows
    recommendations: int = 0  # how many 'Recommended for you' items it shows
    profile_controls: bool = False  # the reader's controls over recommendations (profile page)
    topics: tuple = ()  # the topics the page offers to follow (see topic())


def watcher(func):
    """Register `func(page, context)`, called with every page's gathered entries (kept ones too): it may note
    on the request what the page shows (the recommendations shown to a reader are measured)."""
    watchers.append(func)
    return func


def keeper(func):
    """Register `func(user, parts, build)`, which keeps `build()` for a signed-in reader until they change
    something or the content changes."""
    keepers.append(func)
    return func


def gather(request, **parts):
    """The context entries every provider gives for a page made of `parts` (Page's fields); the personal ones
    kept for a signed-in reader, so that a page they read again costs one read of the cache for them."""
    page = Page(request, **parts)
    context = {}
    for provide in providers:
        context.update(provide(page))

    def build_personal():
        personal = {}
        for provide in personal_providers:
            personal.update(provide(page))
        return personal

    if keepers and request.user.is_authenticated:
        article_id = page.article.pk if page.article is not None else 0
        key = ("page parts", article_id, page.card_ids, page.recommendations, page.profile_controls, page.topics)
        context.update(keepers[0](request.user, key, build_personal))
    else:
        context.update(build_personal())
    for watch in watchers:
        watch(page, context)
    return context
