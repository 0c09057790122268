from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from taggit.models import Tag

        from newsroom.content_version import connect_content_signals

        from .models import (
            Article,
            Byline,
            FormerSlug,
            GlossaryTerm,
            Person,
            Reference,
            ResearchFacts,
            Section,
            StudyDrug,
        )

        m2m_changed.connect(refresh_search_vector_on_tag_change, sender=Article.tags.through)
        post_delete.connect(refresh_search_vector_on_research_facts_delete, sender=ResearchFacts)
        # Everything a reading page shows; revisions, drafts and editing presence are not shown to readers.
        connect_content_signals(
            Article,
            Section,
            Person,
            Byline,
            Reference,
            ResearchFacts,
            StudyDrug,
            FormerSlug,
            GlossaryTerm,
            Tag,
            through=[Article.tags.through],
        )


def refresh_search_vector_on_tag_change(sender, instance, action, **kwargs):
    """Tags are part of an article's search vector, so keep the vector in step with them."""
    from .models import Article

    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        Article.refresh_search_vectors([instance.pk])


def refresh_search_vector_on_research_facts_delete(sender, instance, **kwargs):
    """The study's drug names are part of the search vector; they go when its research facts go."""
    from .models import Article

    Article.refresh_search_vectors([instance.pk])
