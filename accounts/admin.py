from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from newsroom.admin_site import CheckedAutocompleteMixin
from newsroom.spreadsheets import csv_download

from .models import ArticleHelpfulness, Favorite, Follow, HelpfulnessVote, NewsletterSubscription, Profile, User


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "groups")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "email_confirmed_at", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined", "email_confirmed_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined", "email_confirmed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
    list_display = ("user", "situation", "personalisation", "updated_at")
    list_filter = ("situation", "personalisation")
    list_select_related = ("user",)
    search_fields = ("user__email", "display_name")
    autocomplete_fields = ("user",)


@admin.register(Favorite)
class FavoriteAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
    list_display = ("article", "user", "created_at")
    list_select_related = ("article", "user")
    search_fields = ("article__title", "user__email")
    autocomplete_fields = ("user", "article")
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """Who follows what, to answer a reader asking why an alert came; readers change their follows themselves."""

    list_display = ("user", "topic_name", "frequency", "created_at")
    list_filter = ("frequency",)
    list_select_related = ("user", "section", "tag")
    search_fields = ("user__email", "section__name", "tag__name", "drug")
    date_hierarchy = "created_at"
    fields = ("user", "section", "tag", "drug", "frequency", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="topic")
    def topic_name(self, follow):
        return f"{follow.topic_name} ({follow.kind_label})"


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = (
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "confirmed_at", "unsubscribed_at", "user")


@admin.register(HelpfulnessVote)
class HelpfulnessVoteAdmin(admin.ModelAdmin):
    list_display = ("article", "is_helpful", "comment", "updated_at")
    list_filter = ("is_helpful", ("comment", admin.EmptyFieldListFilter))
    list_select_related = ("article",)
    search_fields = ("article__title", "comment")
    date_hierarchy = "updated_at"
    fields = ("article", "is_helpful", "comment", "created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


def article_comments_url(article_id):
    """The admin list of readers' 'What could be better?' comments on one article."""
    url = reverse("admin:accounts_helpfulnessvote_changelist")
    return f"{url}?{urlencode({'article__id__exact': article_id, 'comment__isempty': 0})}"


@admin.register(ArticleHelpfulness)
class ArticleHelpfulnessAdmin(admin.ModelAdmin):
    list_display = ("title", "votes", "anonymous_votes", "signed_in_votes", "percent_yes_display", "comments_link")
    list_filter = ("section",)
    search_fields = ("title",)
    actions = ("export_csv",)
    list_per_page = 50

    def get_queryset(self, request):
        # Not super(): it orders by get_ordering() before the counts it sorts by exist.
        return ArticleHelpfulness.objects.only("title", "slug").with_votes()

    def get_ordering(self, request):
        return ["-vote_count", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="votes", ordering="vote_count")
    def votes(self, article):
        return article.vote_count

    @admin.display(description="by anonymous cookie", ordering="anonymous_count")
    def anonymous_votes(self, article):
        return article.anonymous_count

    @admin.display(description="by signed-in readers", ordering="signed_in_count")
    def signed_in_votes(self, article):
        return article.signed_in_count

    @admin.display(description="% yes", ordering="share_yes")
    def percent_yes_display(self, article):
        return "–" if article.percent_yes is None else f"{article.percent_yes}%"

    @admin.display(description="comments", ordering="comment_count")
    def comments_link(self, article):
        if not article.comment_count:
            return "0"
        return format_html('<a href="{}">{}</a>', article_comments_url(article.pk), article.comment_count)

    @admin.action(description="Download helpfulness of selected articles as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_download(
            f"helpfulness-{timezone.localdate()}.csv",
            ["article", "url", "votes", "anonymous_votes", "signed_in_votes", "yes", "no", "percent_yes", "comments"],
            (
                [
                    article.title,
                    request.build_absolute_uri(article.get_absolute_url()),
                    article.vote_count,
                    article.anonymous_count,
                    article.signed_in_count,
                    article.yes_count,
                    article.vote_count - article.yes_count,
                    "" if article.percent_yes is None else article.percent_yes,
                    article.comment_count,
                ]
                for article in queryset
            ),
        )
