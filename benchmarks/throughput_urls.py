"""The site's addresses plus the floor: a bare view returning a page of any size, so that
benchmarks/throughput.py can compare a page with the cheapest Django response of its size, served by
the same gunicorn through the same middleware. No address of the site itself serves it."""

from functools import lru_cache

from django.http import Http404, HttpResponse
from django.urls import path

from newsroom import urls as site_urls

FLOOR_MAX_BYTES = 10_000_000
FLOOR_HEAD = b'<!DOCTYPE html>\n<html lang="en"><head><title>Floor</title></head><body><p>'
FLOOR_TAIL = b"</p></body></html>\n"

handler400 = site_urls.handler400
handler500 = site_urls.handler500


@lru_cache(maxsize=4)
def floor_page(size):
    """An HTML page of exactly `size` bytes (at least its markup), made once per size."""
    filler = max(0, size - len(FLOOR_HEAD) - len(FLOOR_TAIL))
    return FLOOR_HEAD + b"x" * filler + FLOOR_TAIL


def floor(request, size):
    if size > FLOOR_MAX_BYTES:
        raise Http404("Too large a floor page.")
    return HttpResponse(floor_page(size))


# First, so that no pattern of the site's can take the floor's address.
urlpatterns = [path("benchmark-floor/<int:size>", floor), *site_urls.urlpatterns]
