from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "promotions"

    def ready(self):
        from newsroom.content_version import connect_content_signals

        from .models import Promotion

        # Not PromotionDailyCount: counting a click changes no page.
        connect_content_signals(Promotion, through=[Promotion.target_sections.through, Promotion.target_tags.through])
