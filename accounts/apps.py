from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers and staff"

    def ready(self):
        from articles.page_parts import provider

        from .services import reader_page_parts

        provider(reader_page_parts)
