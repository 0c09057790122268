from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("about/", TemplateView.as_view(template_name="articles/about.html"), name="about"),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="articles/privacy.html",
            extra_context={"recommendation_events_keep_days": settings.RECOMMENDATION_EVENTS_KEEP_DAYS},
        ),
        name="privacy",
    ),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag_feed_rss"),
    path("tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
]
