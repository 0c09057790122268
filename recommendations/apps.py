from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from accounts.services import register_reader_data

        from .services import reader_data

        register_reader_data(reader_data)
