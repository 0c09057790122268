from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "image library"

    def ready(self):
        from newsroom.content_version import connect_content_signals

        from .models import Image

        connect_content_signals(Image)
