from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from .sessions import reading_user_of


def get_user(request):
    """auth.get_user(), with the account read together with the session (accounts/backends.py)."""
    if not hasattr(request, "_cached_user"):
        with reading_user_of(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
