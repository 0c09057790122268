from . import measurement


class RecordShownMiddleware:
    """Records the personal recommendations a page showed (noted on the request by measurement.note_shown)
    once the page reached the reader: a 200."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 200:
            measurement.record_shown(request)
        return response
