from django.apps import AppConfig
from django.db.models.signals import m2m_changed


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from .models import Article

        m2m_changed.connect(refresh_search_vector_on_tag_change, sender=Article.tags.through)


def refresh_search_vector_on_tag_change(sender, instance, action, **kwargs):
    """Tags are part of an article's search vector, so keep the vector in step with them."""
    from .models import Article

    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        Article.refresh_search_vectors([instance.pk])
