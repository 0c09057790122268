"""The Permissions-Policy header, built once from settings.PERMISSIONS_POLICY."""

from django.conf import settings


def permissions_policy(features):
    """'camera=(), fullscreen=(self)' from {"camera": (), "fullscreen": ("self",)}."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
