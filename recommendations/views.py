from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from accounts.ratelimit import rate_limited
from accounts.views import wants_json
from articles.models import Article, visible_tags
from newsroom.redirects import redirect_next

from . import measurement, services
from .forms import SurveyForm
from .models import Surface

FULL_PAGE_LIMIT = 20


@require_GET
def recommended(request):
    personal = services.recommendations_for(request.user, limit=FULL_PAGE_LIMIT, with_topics=True)
    context = {"personal": personal, "surface": Surface.PAGE}
    if personal:
        measurement.note_shown(request, personal, Surface.PAGE)
    if personal is None:
        context["suggestions"] = services.suggestions(limit=8)
    elif services.survey_due(reader=request.user, session=request.session):
        context["offer_survey"] = True
    return render(request, "recommendations/recommended.html", context)


@require_GET
def open_recommended(request, article_id):
    """A recommended article, opened from where it was shown (`?from=`): noted for a signed-in reader, then
    the article itself."""
    article = get_object_or_404(Article.objects.visible(), pk=article_id)
    if request.user.is_authenticated:
        measurement.followed(reader=request.user, article=article, surface=request.GET.get("from", ""))
    return redirect(article)


def answer(request, message, *, fallback):
    if wants_json(request):
        return JsonResponse({"message": message})
    messages.success(request, message)
    return redirect_next(request, fallback)


@login_required
@rate_limited("recommendation-controls", limit=120, per_seconds=600)
@require_POST
def not_interested(request, article_id):
    undo = bool(request.POST.get("undo"))
    # Undo also works for the reader's own dismissal of an article taken down since, without naming it.
    articles = Article.objects.visible_or_kept(request.user.dismissals) if undo else Article.objects.visible()
    article = get_object_or_404(articles, pk=article_id)
    if undo:
        services.undo_dismiss(reader=request.user, article=article)
        name = f"“{article.title}”" if article.is_visible else "That article"
        return answer(request, f"{name} can be recommended again.", fallback=reverse("recommendations:list"))
    services.dismiss(reader=request.user, article=article)
    return answer(
        request,
        f"We won't recommend “{article.title}” again, and will show fewer articles like it.",
        fallback=reverse("recommendations:list"),
    )


@login_required
@rate_limited("recommendation-controls", limit=120, per_seconds=600)
@require_POST
def pause_topic(request, tag_id):
    # Only a topic readers can see, or one this reader paused; a tag used only on drafts stays unknown.
    topics = Tag.objects.filter(Q(pk__in=visible_tags()) | Q(pk__in=request.user.paused_topics.values("tag_id")))
    tag = get_object_or_404(topics, pk=tag_id)
    if request.POST.get("resume"):
        services.topic_resume(reader=request.user, tag=tag)
        return answer(request, f"Recommendations about {tag.name} are back on.", fallback=reverse("accounts:profile"))
    services.topic_pause(reader=request.user, tag=tag)
    return answer(
        request,
        f"Paused: no recommendations about {tag.name} until you turn them back on in your profile.",
        fallback=reverse("recommendations:list"),
    )


@login_required
@rate_limited("survey", limit=10, per_seconds=3600)
@require_http_methods(["GET", "POST"])
def survey(request):
    if request.method == "POST" and request.POST.get("not_now"):
        request.session["survey_put_off"] = True
        messages.info(request, "No problem. We won't ask again for a while.")
        return redirect("recommendations:list")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.survey_answer(reader=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. Your answers help us improve recommendations for everyone.")
        return redirect("recommendations:list")
    return render(request, "recommendations/survey.html", {"form": form})
