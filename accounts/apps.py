from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers and staff"

    def ready(self):
        from articles.page_parts import keeper, provider

        from .services import follow_page_parts, kept_for_reader, reader_page_parts

        provider(reader_page_parts, personal=True)
        provider(follow_page_parts, personal=True)
        keeper(kept_for_reader)
