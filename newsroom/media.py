"""Uploaded files, served by Django only while developing (production's proxy or object storage serves them)."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def serve_media(request, path):
    # A name longer than the file system allows raises OSError in Django's serve(); it names no file here.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        raise Http404("No such file.") from error
