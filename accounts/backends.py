"""Django's ModelBackend, answering "who is signed in on this session?" with the account read together
with the session (accounts/sessions.py), so a signed-in page costs one query for it, not two. Every check
Django makes of a session (its password hash, an inactive account) still runs on that row, which was read
in this request."""

from django.contrib.auth.backends import ModelBackend

from .sessions import session_being_read


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        user = getattr(session_being_read.get(), "user_read_with_it", None)
        if user is None or user.pk != user_id:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
