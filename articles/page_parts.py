"""The parts other apps add to a page (promotions, suggestions, the reader's saves and answers), gathered
by the view before rendering, so templates and their tags only format: no tag runs a query.

The articles app does not know those apps: each registers a provider in its AppConfig.ready(). A provider
takes the Page and returns context entries; it costs nothing for a part the page does not show."""

from dataclasses import dataclass

providers = []


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


def gather(request, **parts):
    """The context entries every provider gives for a page made of `parts` (Page's fields)."""
    page = Page(request, **parts)
    context = {}
    for provide in providers:
        context.update(provide(page))
    return context
