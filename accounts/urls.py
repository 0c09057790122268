from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import QueuedPasswordResetForm
from .ratelimit import rate_limited

app_name = "accounts"

password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
    form_class=QueuedPasswordResetForm,
)

urlpatterns = [
    path("join/", views.join, name="join"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-in/email-link/", views.sign_in_link, name="sign_in_link"),
    path("sign-in/link/<str:token>/", views.sign_in_link_open, name="sign_in_link_open"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("profile/", views.profile, name="profile"),
    path("favorites/", views.favorites, name="favorites"),
    path("favorites/<int:article_id>/", views.favorite, name="favorite"),
    path("follow/", views.follow, name="follow"),
    path("helpful/<int:article_id>/", views.vote, name="vote"),
    path("helpful/<int:article_id>/comment/", views.vote_comment, name="vote_comment"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("my-data.json", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete_account"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        rate_limited("password-reset", limit=5, per_seconds=3600)(password_reset),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
