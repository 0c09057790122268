import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import page_parts
from articles.models import Article
from newsroom.csrf import csrf_same_origin
from newsroom.redirects import NextPathMixin, next_path, redirect_next

from . import services
from .forms import (
    CommentForm,
    DeleteAccountForm,
    FinishJoiningForm,
    FollowForm,
    JoinForm,
    NewsletterForm,
    ProfileForm,
    SignInForm,
    SignInLinkForm,
    VoteForm,
)
from .models import Favorite, Follow, HelpfulnessVote, NewsletterSubscription, Profile
from .ratelimit import client_ip, rate_limited

FAVORITES_PER_PAGE = 20
RECOMMENDATIONS_OFF = (
    "Recommendations are off, so your answers are not used: tick “Use my profile and the articles I save to "
    "recommend articles to me” to turn them on."
)
# The tag of a message that answers the newsletter box: the page it shows on leaves the box out.
NEWSLETTER_ANSWERED = "newsletter"


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def base_url(request):
    return request.build_absolute_uri("/")


# Joining, signing in, confirming


def set_browser_cookie(response, name, value, *, salt, max_age):
    """A signed, HttpOnly, same-site cookie that marks this browser for this site alone."""
    response.set_signed_cookie(
        name, value, salt=salt, max_age=max_age, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )
    return response


def signed_in(request, response, user):
    """What every way of signing in does next: save the article chosen before, and remember this browser
    as known for the account, so a ceiling on password guesses from elsewhere does not hold it back."""
    article = services.favorite_claim_pending(session=request.session, reader=user)
    if article is not None:
        messages.success(request, f"Saved “{article.title}” to your favorites.")
    followed = services.follow_claim_pending(session=request.session, reader=user)
    if followed is not None:
        messages.success(request, f"You now follow {followed}. Change how often we email you in your profile.")
    return set_browser_cookie(
        response,
        services.KNOWN_DEVICE_COOKIE,
        services.known_device_cookie_value(request=request, user=user),
        salt=services.KNOWN_DEVICE_SALT,
        max_age=services.KNOWN_DEVICE_MAX_AGE,
    )


class SiteNameMixin:
    """Django's sign-in and sign-out views put the host's name in the page as `site_name` (they are made for the
    sites framework); the page names this site."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}


@method_decorator(rate_limited("sign-in", limit=30, per_seconds=600), name="dispatch")
class SignInView(SiteNameMixin, NextPathMixin, auth_views.LoginView):
    """Sign in by email. Three limits: requests per network address, failures per email and address
    (django-axes), and password checks per email from all addresses (SignInForm)."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        return signed_in(self.request, super().form_valid(form), form.get_user())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "account_paused"):
            response.status_code = 429
            response["Retry-After"] = str(int(settings.SIGN_IN_ACCOUNT_WINDOW.total_seconds()))
        return response


class SignOutView(SiteNameMixin, NextPathMixin, auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are signed out.")
        return response


@rate_limited("sign-in-link", limit=5, per_seconds=3600)
@require_http_methods(["GET", "POST"])
def sign_in_link(request):
    """Ask for a sign-in link by email; the answer is the same whether or not an account uses the address."""
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_in_link_send(
            email=form.cleaned_data["email"], base_url=base_url(request), next_url=next_path(request, "")
        )
        return render(
            request,
            "accounts/sign_in_link_sent.html",
            {"email": form.cleaned_data["email"], "minutes": services.SIGN_IN_LINK_MINUTES},
        )
    return render(request, "accounts/sign_in_link.html", {"form": form, "next": next_path(request, "")})


@require_http_methods(["GET", "POST"])
def sign_in_link_open(request, token):
    """Opening the emailed link shows a button, and only pressing it signs in: mail scanners that open
    every link in a message would otherwise use the link up before the reader does."""
    try:
        if request.method == "GET":
            user, _ = services.sign_in_link_check(token=token)
            return render(request, "accounts/sign_in_link_open.html", {"account": user})
        user, next_url = services.sign_in_link_use(request=request, token=token)
    except services.LinkError as error:
        return render(request, "accounts/link_problem.html", {"problem": str(error)}, status=400)
    return signed_in(request, HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL)), user)


@rate_limited("join", limit=10, per_seconds=3600)
@require_http_methods(["GET", "POST"])
def join(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reader_join(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            base_url=base_url(request),
            session=request.session,
            next_url=next_path(request, ""),
        )
        # The same reply whether or not the address has an account.
        return render(request, "accounts/join_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/join.html", {"form": form, "next": next_path(request, "")})


@rate_limited("finish-joining", limit=10, per_seconds=600)
@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """The emailed link: confirms the address; for a new account it finishes joining and signs in, at once
    in the browser that joined, elsewhere once the reader gives the password chosen at that join."""
    try:
        user = services.email_confirmation_user(token=token)
    except services.LinkError as error:
        return render(request, "accounts/link_problem.html", {"problem": str(error)}, status=400)
    if not user.is_awaiting_confirmation:
        services.email_confirm(user=user)
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        return redirect("accounts:profile" if request.user == user else "accounts:sign_in")
    form = FinishJoiningForm(request.POST or None, user=user)
    if services.join_started_here(session=request.session, user=user) or (request.method == "POST" and form.is_valid()):
        return finish_joining(request, user)
    return render(request, "accounts/finish_joining.html", {"form": form, "email": user.email})


def finish_joining(request, user):
    next_url = services.join_finish(user=user, session=request.session)
    login(request, user, backend="accounts.backends.SessionUserBackend")
    messages.success(request, "Welcome! Your email address is confirmed and you are signed in.")
    query = {"welcome": "1", **({"next": next_url} if next_url else {})}
    return signed_in(request, redirect(f"{reverse('accounts:profile')}?{urlencode(query)}"), user)


@login_required
@rate_limited("confirm-resend", limit=5, per_seconds=3600)
@require_POST
def resend_confirmation(request):
    if request.user.email_confirmed_at is None:
        services.email_confirmation_send(user=request.user, base_url=base_url(request))
        messages.success(request, f"We sent a new confirmation link to {request.user.email}.")
    return redirect("accounts:profile")


# Profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    reader_profile, _ = Profile.objects.get_or_create(user=request.user)
    subscribed = NewsletterSubscription.objects.filter(
        email__iexact=request.user.email, unsubscribed_at__isnull=True
    ).exists()
    form = ProfileForm(request.POST or None, instance=reader_profile, initial={"newsletter": subscribed})
    if request.method == "POST" and form.is_valid():
        outcome = services.profile_save(
            form=form, reader=request.user, subscribed=subscribed, base_url=base_url(request)
        )
        saved = ["Your profile is saved.", outcome]
        if not form.cleaned_data["personalisation"]:
            saved.append(RECOMMENDATIONS_OFF)
        messages.success(request, " ".join(part for part in saved if part))
        return redirect_next(request, reverse("accounts:profile"))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "welcome": request.GET.get("welcome") == "1",
            "next": next_path(request, ""),
            "follows": services.reader_follows(request.user),
            "frequencies": Follow.Frequency.choices,
            **page_parts.gather(request, profile_controls=True),
        },
    )


# Favorites


@login_required
@require_GET
def favorites(request):
    saved = Favorite.objects.filter(user=request.user).select_related("article__section").order_by("-created_at", "-pk")
    page = Paginator(saved, FAVORITES_PER_PAGE).get_page(request.GET.get("page"))
    if request.GET.get("page") not in (None, str(page.number)):
        raise Http404("There is no such page of favorites.")
    return render(request, "accounts/favorites.html", {"page_obj": page, "favorites": page.object_list})


@csrf_same_origin
@require_POST
def favorite(request, article_id):
    """Save or remove one article; the form says which, so a double click cannot undo itself."""
    action = request.POST.get("action")
    if action not in {"save", "remove"}:
        return HttpResponse("Unknown action: use save or remove.", status=400, content_type="text/plain")
    if action == "remove" and request.user.is_authenticated:
        # The reader's own favorite can be removed after the article was taken down, without naming it.
        articles = Article.objects.visible_or_kept(request.user.favorites)
    else:
        articles = Article.objects.visible()
    article = get_object_or_404(articles, pk=article_id)
    if not request.user.is_authenticated:
        sign_in = f"{reverse('accounts:sign_in')}?{urlencode({'next': article.get_absolute_url()}, safe='/')}"
        if action == "save":
            services.favorite_remember_for_sign_in(session=request.session, article=article)
            # Shown on the sign-in page, which the script goes to as well (with JavaScript, the 401's address).
            messages.info(request, "Sign in or join to save this article. It will be saved as soon as you do.")
        if wants_json(request):
            return JsonResponse({"sign_in": sign_in}, status=401)
        return redirect(sign_in)
    if action == "save":
        services.favorite_add(reader=request.user, article=article)
        message = f"Saved “{article.title}” to your favorites."
    else:
        services.favorite_remove(reader=request.user, article=article)
        name = f"“{article.title}”" if article.is_visible else "an article that is no longer available"
        message = f"Removed {name} from your favorites."
    if wants_json(request):
        return JsonResponse({"saved": action == "save", "message": message})
    messages.success(request, message)
    back = article.get_absolute_url() if article.is_visible else reverse("accounts:favorites")
    return redirect_next(request, back)


# Following a section, a tag or a drug


@csrf_same_origin
@rate_limited("follow", limit=60, per_seconds=600)
@require_POST
def follow(request):
    """Follow a topic or stop following it, from its page's button or the profile's list. A reader not signed
    in is asked to, and the topic is followed as soon as they do."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect_next(request, reverse("accounts:profile"))
    topic, action, frequency = (form.cleaned_data[name] for name in ("topic", "action", "frequency"))
    reader = request.user if request.user.is_authenticated else None
    try:
        target = services.follow_target(topic, reader=reader)
    except services.TopicUnknown as unknown:
        messages.error(request, str(unknown))
        return redirect_next(request, reverse("accounts:profile"))
    name = services.topic_name(target)
    back = next_path(request, services.topic_url(target))
    if reader is None:
        if action == "follow":
            services.follow_remember_for_sign_in(session=request.session, topic=topic, frequency=frequency)
            messages.info(request, f"Sign in or join to follow {name}. We will follow it for you as soon as you do.")
        else:
            messages.info(request, "Sign in to change what you follow.")
        return redirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': back}, safe='/')}")
    if action == "unfollow":
        services.follow_remove(reader=reader, target=target)
        messages.success(request, f"You no longer follow {name}.")
    else:
        follow = services.follow_add(reader=reader, target=target, frequency=frequency)
        how = "as soon as" if follow.frequency == Follow.Frequency.AT_ONCE else "in a weekly digest when"
        messages.success(request, f"You follow {name}: we will email you {how} there is a new article.")
    return HttpResponseRedirect(back)


# 'Was this article helpful?'


def voter_key(request):
    """The reader's account, or a signed cookie that marks their browser (made if missing)."""
    if request.user.is_authenticated:
        return services.voter_key_for(request.user), None
    key = services.voter_key_from_cookie(request)
    if key:
        return key, None
    new_key = services.voter_key_new()
    return new_key, new_key


def remember_voter(response, new_key):
    if new_key:
        set_browser_cookie(
            response,
            services.VOTER_COOKIE,
            new_key,
            salt=services.VOTER_COOKIE_SALT,
            max_age=services.VOTER_COOKIE_MAX_AGE,
        )
    return response


@csrf_same_origin
@rate_limited("vote", limit=30, per_seconds=600)
@require_POST
def vote(request, article_id):
    article = get_object_or_404(Article.objects.visible(), pk=article_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Answer Yes or No.", status=400, content_type="text/plain")
    key, new_key = voter_key(request)
    try:
        services.vote_record(
            article=article,
            voter_key=key,
            user=request.user if request.user.is_authenticated else None,
            is_helpful=form.cleaned_data["helpful"],
            address=client_ip(request),
        )
    except services.VoteNotCounted as refusal:
        if wants_json(request):
            return JsonResponse({"counted": False, "message": str(refusal)}, status=429)
        messages.info(request, str(refusal))
        return redirect(f"{article.get_absolute_url()}#helpful")
    message = "Thank you for your answer." if form.cleaned_data["helpful"] else "Thank you. What could be better?"
    if wants_json(request):
        response = JsonResponse({"helpful": form.cleaned_data["helpful"], "message": message})
    else:
        messages.success(request, message)
        response = redirect(f"{article.get_absolute_url()}#helpful")
    return remember_voter(response, new_key)


@csrf_same_origin
@rate_limited("vote", limit=30, per_seconds=600)
@require_POST
def vote_comment(request, article_id):
    article = get_object_or_404(Article.objects.visible(), pk=article_id)
    key, _ = voter_key(request)
    existing = HelpfulnessVote.objects.filter(article=article, voter_key=key).first()
    form = CommentForm(request.POST)
    if existing is None:
        problem = "Answer ‘Was this article helpful?’ first, then tell us what could be better."
    elif not form.is_valid():
        problem = " ".join(form.errors.get("comment", ["Write a comment first."]))
    else:
        services.vote_comment(vote=existing, comment=form.cleaned_data["comment"])
        problem = ""
    if wants_json(request):
        return JsonResponse({"message": problem or "Thank you for your comment."}, status=400 if problem else 200)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, "Thank you for your comment. Our editors read every one.")
    return redirect(f"{article.get_absolute_url()}#helpful")


# Newsletter


@csrf_same_origin
@rate_limited("newsletter", limit=5, per_seconds=3600)
@require_http_methods(["GET", "POST"])
def newsletter(request):
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = NewsletterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        outcome = services.newsletter_subscribe(
            email=email,
            base_url=base_url(request),
            user=request.user if request.user.is_authenticated else None,
        )
        if outcome == "already" and request.user.is_authenticated and email.lower() == request.user.email.lower():
            messages.info(
                request, f"{email} is already subscribed to research news. Nothing more to do.", NEWSLETTER_ANSWERED
            )
        else:
            # The same for an address already subscribed: its owner learns that from the email alone.
            messages.success(
                request,
                f"Almost done: we sent an email to {email}. Open it to finish subscribing.",
                NEWSLETTER_ANSWERED,
            )
        return redirect_next(request, reverse("accounts:newsletter"))
    return render(request, "accounts/newsletter.html", {"form": form, "next": next_path(request, "")})


@require_GET
def newsletter_confirm(request, token):
    try:
        subscription = services.newsletter_confirm(token=token)
    except services.LinkError as error:
        return render(request, "accounts/link_problem.html", {"problem": str(error)}, status=400)
    messages.success(request, f"Subscribed: research news will come to {subscription.email}.")
    return redirect("accounts:newsletter")


# The link is the key, so a POST needs no CSRF token: mail programs' one-click unsubscribe (RFC 8058) posts
# "List-Unsubscribe=One-Click" to it without cookies. Opening it only asks, because mail scanners open links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    try:
        if request.method == "POST":
            subscription = services.newsletter_unsubscribe(token=token)
        else:
            subscription = services.newsletter_unsubscribe_subscription(token=token)
    except services.LinkError as error:
        return render(request, "accounts/link_problem.html", {"problem": str(error)}, status=400)
    if request.method == "GET" and subscription is not None and subscription.unsubscribed_at is None:
        return render(request, "accounts/unsubscribe.html", {"subscription": subscription})
    return render(request, "accounts/unsubscribed.html", {"subscription": subscription})


# Data rights


@login_required
@require_GET
def download_data(request):
    data = services.reader_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-newsroom-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@rate_limited("delete-account", limit=10, per_seconds=3600)
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.reader_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account, profile and favorites are deleted. Thank you for reading.")
        return redirect("articles:home")
    return render(request, "accounts/delete_account.html", {"form": form})
