"""The site's icon and web app manifest, at the addresses browsers and phones look for them. The icons are
drawn in static/icons/: the SVG, and PNG and ICO files of the same shape."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET

FAVICON = settings.BASE_DIR / "static" / "icons" / "favicon.ico"
THEME_COLOUR = "#8a1f4f"  # the brand colour of static/css/site.css
A_DAY = 24 * 3600


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico whatever a page links to, so it is answered here, not only as a static file.
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={A_DAY}"
    return response


@require_GET
def web_manifest(request):
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(json.dumps(manifest), content_type="application/manifest+json")
    response["Cache-Control"] = f"public, max-age={A_DAY}"
    return response
