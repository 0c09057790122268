"""The parts other apps add to a page (promotions, suggestions, the reader's saves and answers), gathered
by the view before rendering, so templates and their tags only format: no tag runs a query.

The articles app does not know those apps: each registers a provider in its AppConfig.ready(). A provider
takes the Page and returns context entries; it costs nothing for a part the page does not show. For a
signed-in reader the entries are kept (see gather), so a provider's entries may depend only on the page's
parts, the reader and what is published, never on the rest of the request."""

from dataclasses import dataclass

providers = []
# The accounts app's kept_for_reader(user, parts, build), registered in its AppConfig.ready().
keepers = []


def provider(func):
    """Register `func(page) -> dict` to add its entries to every page's context."""
    providers.append(func)
    return func


@dataclass(frozen=True)
class Page:
    request: object
    article: object = None  # the article being read
    card_ids: tuple = ()  # the ids of the articles shown as cards
    placements: tuple = ()  # promotion slots the page shows
    recommendations: int = 0  # how many 'Recommended for you' items it shows
    profile_controls: bool = False  # the reader's controls over recommendations (profile page)


def keeper(func):
    """Register `func(user, parts, build)`, which keeps `build()` for a signed-in reader until they change
    something or the content changes."""
    keepers.append(func)
    return func


def gather(request, **parts):
    """The context entries every provider gives for a page made of `parts` (Page's fields); for a signed-in
    reader kept, so that a page they read again costs one read of the cache."""
    page = Page(request, **parts)

    def build():
        context = {}
        for provide in providers:
            context.update(provide(page))
        return context

    if not (keepers and request.user.is_authenticated):
        return build()
    article_id = page.article.pk if page.article is not None else 0
    key = ("page parts", article_id, page.card_ids, page.placements, page.recommendations, page.profile_controls)
    return keepers[0](request.user, key, build)
