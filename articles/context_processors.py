from django.conf import settings

from .models import Section


def site(request):
    """Site name and the section menu, shown on every page (one query, run only when rendered)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "menu_sections": Section.objects.only("name", "slug"),
    }
