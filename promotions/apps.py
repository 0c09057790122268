from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "promotions"

    def ready(self):
        from articles.page_parts import provider
        from newsroom.content_version import connect_content_signals

        from .models import Promotion
        from .services import promotion_page_parts

        provider(promotion_page_parts)
        # Not PromotionDailyCount: counting a click changes no page.
        connect_content_signals(Promotion, through=[Promotion.target_sections.through, Promotion.target_tags.through])
