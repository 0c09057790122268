from . import services


class ImpressionCountMiddleware:
    """Counts the promotions a page showed (`request.promotions_shown`, noted when the page was chosen or
    restored from the page cache), for pages the reader got: a 200, or a 304 for the copy they hold."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        shown = getattr(request, "promotions_shown", ())
        if shown and response.status_code in {200, 304}:
            services.promotion_impressions_add(promotion_ids=shown)
        return response
