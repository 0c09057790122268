from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services
from .models import Promotion


@require_GET
@never_cache
def go(request, pk):
    """Count a click and send the reader on to the promotion's own stored link; nothing in the request
    can change where they go. A promotion that is unknown or not showing now gives a 404, uncounted."""
    promotion = get_object_or_404(Promotion.objects.active().only("link"), pk=pk)
    services.promotion_click_record(promotion=promotion)
    return HttpResponseRedirect(promotion.link)
