"""The article page: its context, and the page as every reader who is not signed in sees it, rendered once
per content version and kept (newsroom/slots.py), so a request renders only the reader's own parts."""

from newsroom import slots

from . import page_parts
from .models import Article
from .public_cache import cached_public
from .seo import article_structured_data

TEMPLATE = "articles/article_detail.html"
RELATED_COUNT = 4
RECOMMENDED_COUNT = 4
PLACEMENTS = ("article_sidebar", "below_article")
# Part of the kept page's key: changed with the form of what is kept, so a release never reads a page kept
# by the one before it.
KEPT_FORM = 4


def article_page_context(request, article):
    """Everything the article template shows, for `article` fetched with Article.objects.for_page()."""
    article.fill_rendered_body()
    tag_ids = [tag.pk for tag in article.tag_list]
    related = list(Article.objects.visible().related_to(article, tag_ids).for_cards()[:RELATED_COUNT])
    topics = drug_topics(article)
    return {
        "article": article,
        "object": article,
        "related": related,
        "is_preview": not article.is_visible,
        "structured_data": article_structured_data(article, request),
        "drug_glossary": article.drug_glossary(),
        **page_parts.gather(
            request,
            article=article,
            card_ids=tuple(card.pk for card in related),
            placements=PLACEMENTS,
            recommendations=RECOMMENDED_COUNT,
            topics=topics,
        ),
        "topics": topics,
    }


def drug_topics(article):
    """The drugs its study tested, which the research facts card offers to follow."""
    return tuple(dict.fromkeys(drug.topic for drug in article.drug_list))


def public_article_page(request, slug):
    """The visible article at `slug` as kept for readers who are not signed in: its parts, the promotions
    it shows and what the reader's own slots need; None when no visible article has this address."""
    origin = f"{request.scheme}://{request.get_host()}"

    def build():
        # Raised, not returned, so an address without a visible article is not kept: it costs one query.
        article = Article.objects.visible().for_page().get(slug=slug)
        public = slots.public_request(request)
        context = article_page_context(public, article)
        return {
            "article": {"id": article.pk, "slug": article.slug, "title": article.title},
            "card_ids": tuple(card.pk for card in context["related"]),  # for a signed-in reader's saves among them
            "topics": context["topics"],  # for the drugs among them the reader follows
            "promotion_ids": [promotion.pk for promotion in context["promotions"].values()],
            "parts": slots.render_public(TEMPLATE, context, public),
        }

    try:
        return cached_public(("article page", KEPT_FORM, origin, slug), build)
    except Article.DoesNotExist:
        return None


def article_page_html(request, page):
    """The kept page with this reader's slots rendered in: for a reader who is not signed in only the live
    slots (account links, messages, their remembered vote); for a signed-in reader their saves, answers,
    followed drugs and recommendations too."""
    article = Article(**page["article"])
    context = {"article": article}
    if request.user.is_authenticated:
        context.update(
            page_parts.gather(
                request,
                article=article,
                card_ids=page["card_ids"],
                recommendations=RECOMMENDED_COUNT,
                topics=page["topics"],
            )
        )
    else:
        context.update(page_parts.gather(request, article=article))
    request.promotions_shown = page["promotion_ids"]
    return slots.assemble(page["parts"], context, request)
