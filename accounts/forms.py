from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import Q
from django.template.loader import render_to_string
from taggit.models import Tag

from articles.models import Section, visible_tags
from outbox.services import queue_email

from . import services
from .models import Follow, HelpfulnessVote, Profile, User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match an account. Check both and try "
        "again; passwords are case-sensitive.",
        "account_paused": "Signing in with this email address and a password is paused for up to %(minutes)s "
        "minutes, after many attempts from different places. To sign in now, choose “Email me a sign-in link” "
        "below.",
    }

    def clean(self):
        """Refuse an email address over its ceiling of password checks before checking the password."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email and password and services.sign_in_paused(request=self.request, email=email):
            raise forms.ValidationError(
                self.error_messages["account_paused"],
                code="account_paused",
                params={"minutes": int(settings.SIGN_IN_ACCOUNT_WINDOW.total_seconds() // 60)},
            )
        return super().clean()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email queued for a worker instead of sent while the reader waits."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        queue_email(to=to_email, subject=subject, body=render_to_string(email_template_name, context))


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class JoinForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not only numbers, and not a common password.",
    )

    def clean_email(self):
        # Never say here whether the address has an account: being a member is itself private.
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("email"):
            try:
                password_validation.validate_password(cleaned["password"], User(email=cleaned["email"]))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class FinishJoiningForm(forms.Form):
    """Asked when the emailed link is opened in another browser than the one that joined."""

    password = forms.CharField(
        label="The password you chose when you joined",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(
                "That is not the password you chose when you joined. Passwords are case-sensitive. If you have "
                "forgotten it, join again with this address to choose a new one."
            )
        return self.cleaned_data["password"]


class ProfileForm(forms.ModelForm):
    sections = forms.ModelMultipleChoiceField(
        label="Sections you are interested in",
        queryset=Section.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.ModelMultipleChoiceField(
        label="Topics you are interested in",
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    situation = forms.ChoiceField(
        label="Which describes you best?",
        choices=Profile.Situation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    newsletter = forms.BooleanField(label="Email me research news (you can unsubscribe from any email)", required=False)

    # Questions and checkbox sentences read better without Django's trailing colon.
    label_suffix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Topics readers can see (never the tags of drafts), and any the reader chose before they went.
        chosen = self.instance.tags.all() if self.instance.pk else Tag.objects.none()
        self.fields["tags"].queryset = Tag.objects.filter(Q(pk__in=visible_tags()) | Q(pk__in=chosen)).order_by("name")

    class Meta:
        model = Profile
        # Recommendations first: answers below it are used only once it is ticked, so no reader should miss it.
        fields = ["personalisation", "display_name", "situation", "sections", "tags"]
        labels = {
            "display_name": "Display name (optional)",
            "personalisation": "Use my profile and the articles I save to recommend articles to me",
        }
        help_texts = {
            "display_name": "Shown only to you, when you are signed in.",
            "personalisation": "Off until you turn it on. Health interests are personal: we never share them, "
            "and you can turn this off at any time.",
        }


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="What could be better?",
        max_length=HelpfulnessVote.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": HelpfulnessVote.COMMENT_MAX_LENGTH}),
        help_text=f"Optional, up to {HelpfulnessVote.COMMENT_MAX_LENGTH} characters. "
        "Please do not include personal medical details.",
    )


class FollowForm(forms.Form):
    """A follow button's post: the topic (articles.page_parts.topic), follow or stop, and how often to hear."""

    CHOOSE_TOPIC = "Choose a section, a topic or a drug to follow."
    CHOOSE_ACTION = "Choose to follow or to stop following."

    topic = forms.CharField(
        max_length=200,
        error_messages={
            "required": CHOOSE_TOPIC,
            "max_length": CHOOSE_TOPIC,
            "null_characters_not_allowed": CHOOSE_TOPIC,
        },
    )
    action = forms.ChoiceField(
        choices=[("follow", "Follow"), ("unfollow", "Stop following")],
        error_messages={"required": CHOOSE_ACTION, "invalid_choice": CHOOSE_ACTION},
    )
    frequency = forms.ChoiceField(
        choices=Follow.Frequency.choices,
        required=False,
        error_messages={"invalid_choice": "Choose alerts at once or in a weekly digest."},
    )

    def first_error(self):
        return next(iter(self.errors.values()))[0]


class NewsletterForm(forms.Form):
    email = forms.EmailField(
        label="Your email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That password is not right. Your account has not been deleted.")
        return self.cleaned_data["password"]
