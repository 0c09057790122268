from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from accounts.services import register_reader_data
        from articles.page_parts import provider, watcher

        from . import measurement
        from .services import note_recommendations_shown, reader_data, recommendation_page_parts

        register_reader_data(reader_data)
        register_reader_data(measurement.reader_data)
        provider(recommendation_page_parts, personal=True)
        watcher(note_recommendations_shown)
