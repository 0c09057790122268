from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Cast, Lower, NullIf

from articles import page_parts
from articles.models import Article, ArticleQuerySet


class EmailUserManager(UserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A reader or a member of staff, who signs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_awaiting_confirmation(self):
        """Joined through the site and has not yet opened the emailed link, so cannot sign in yet.
        (Staff accounts and accounts that joined before joining needed the link are active.)"""
        return not self.is_active and self.email_confirmed_at is None and self.last_login is None


class Profile(models.Model):
    """What a reader tells us to make recommendations better. Personalisation is off until they opt in."""

    class Situation(models.TextChoices):
        NEWLY_DIAGNOSED = "newly_diagnosed", "Newly diagnosed"
        IN_TREATMENT = "in_treatment", "In treatment"
        FINISHED_TREATMENT = "finished_treatment", "Finished treatment"
        METASTATIC = "metastatic", "Living with metastatic (secondary) breast cancer"
        HIGH_RISK = "high_risk", "At high risk"
        SUPPORTING = "supporting", "Supporting someone with breast cancer"
        PROFESSIONAL = "professional", "Health professional"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60, blank=True)
    situation = models.CharField(max_length=24, choices=Situation.choices, blank=True)
    sections = models.ManyToManyField("articles.Section", blank=True, related_name="+")
    tags = models.ManyToManyField("taggit.Tag", blank=True, related_name="+")
    personalisation = models.BooleanField(
        default=False, help_text="The reader agreed to recommendations based on their profile and activity."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"


class Favorite(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="favorites")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="favorite_once_per_reader")]
        indexes = [
            # Covering indexes: recommendations read a reader's most recent saves (in a fixed order, ties
            # by article, as co-saves pair each save with those just before it) and an article's most
            # recent savers from the index alone.
            models.Index(fields=["user", "-created_at", "-article"], name="favorite_reader_in_order_idx"),
            models.Index(fields=["article", "-created_at"], include=["user"], name="favorite_article_newest_idx"),
            # Trending reads the saves since the last popularity snapshot.
            models.Index(fields=["-created_at"], include=["article"], name="favorite_newest_idx"),
        ]

    def __str__(self):
        return f"{self.user} saved {self.article}"

    @property
    def updated_since_saved(self):
        return bool(self.article.content_updated_at and self.article.content_updated_at > self.created_at)


class Follow(models.Model):
    """A reader follows a section, a tag or a drug, and is emailed about new articles on it: at once, or in a
    weekly digest. A drug is followed by its generic name in lower case (drug_name_key), since the drugs of
    each study are rows of their own."""

    class Frequency(models.TextChoices):
        AT_ONCE = "at_once", "At once"
        WEEKLY = "weekly", "Weekly digest"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    section = models.ForeignKey("articles.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Null rather than empty when the follow is not of a drug, so "exactly one target" reads alike for all three
    # and the unique constraint leaves the other follows alone.
    drug = models.CharField(max_length=120, null=True, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.AT_ONCE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(section__isnull=False, tag__isnull=True, drug__isnull=True)
                | models.Q(section__isnull=True, tag__isnull=False, drug__isnull=True)
                | models.Q(section__isnull=True, tag__isnull=True, drug__isnull=False),
                name="follow_exactly_one_topic",
            ),
            models.CheckConstraint(
                condition=~models.Q(drug="") & models.Q(drug=Lower("drug")), name="follow_drug_name_key"
            ),
            models.CheckConstraint(condition=models.Q(frequency__in=["at_once", "weekly"]), name="follow_frequency"),
            models.UniqueConstraint(fields=["user", "section"], name="follow_section_once_per_reader"),
            models.UniqueConstraint(fields=["user", "tag"], name="follow_tag_once_per_reader"),
            models.UniqueConstraint(fields=["user", "drug"], name="follow_drug_once_per_reader"),
        ]
        # The alerts look follows up by topic.
        indexes = [
            models.Index(fields=["section"], name="follow_section_idx", condition=models.Q(section__isnull=False)),
            models.Index(fields=["tag"], name="follow_tag_idx", condition=models.Q(tag__isnull=False)),
            models.Index(fields=["drug"], name="follow_drug_idx", condition=models.Q(drug__isnull=False)),
        ]

    def __str__(self):
        return f"{self.user} follows {self.topic_name}"

    @property
    def kind(self):
        return "section" if self.section_id else "tag" if self.tag_id else "drug"

    @property
    def kind_label(self):
        return {"section": "section", "tag": "topic", "drug": "drug"}[self.kind]

    @property
    def topic_name(self):
        """Needs section and tag selected with the follow."""
        return self.section.name if self.section_id else self.tag.name if self.tag_id else self.drug

    @property
    def topic(self):
        """The topic as the follow forms post it (articles.page_parts.topic)."""
        value = self.section.slug if self.section_id else self.tag.slug if self.tag_id else self.drug
        return page_parts.topic(self.kind, value)


class AlertedArticle(models.Model):
    """An article whose topic alerts went out: once, so one taken down and put back does not alert again, and
    the sweep for new articles reads only those it has not done yet."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="alerted")
    alerted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Alerts sent for {self.article_id}"


class HelpfulnessVote(models.Model):
    """One answer to 'Was this article helpful?' per reader (by account, or by a signed cookie)."""

    COMMENT_MAX_LENGTH = 500
    ANONYMOUS_KEY_PREFIX = "anon:"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="helpfulness_votes")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes")
    voter_key = models.CharField(
        max_length=64, help_text="Who voted: an account's key, or an anonymous reader's cookie."
    )
    is_helpful = models.BooleanField()
    comment = models.TextField("what could be better", max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "voter_key"], name="vote_once_per_reader")]
        indexes = [models.Index(fields=["article", "is_helpful"], name="vote_article_idx")]

    def __str__(self):
        return f"{'Yes' if self.is_helpful else 'No'} on {self.article_id}"


class NewsletterSubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: the addresses research news goes to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class NewsletterSubscription(models.Model):
    """A 'Stay tuned for the latest research news' subscription, confirmed by a link (double opt-in)."""

    email = models.EmailField()
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = NewsletterSubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_email_ci_unique")]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def status(self):
        if self.unsubscribed_at:
            return "unsubscribed"
        return "subscribed" if self.confirmed_at else "waiting for confirmation"


class RateLimitCounter(models.Model):
    """Requests per key and time window, counted in PostgreSQL so every server process shares them."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_window_unique")]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window_idx")]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"


class ArticleHelpfulnessQuerySet(ArticleQuerySet):
    def with_votes(self):
        """Votes, Yes votes, votes by anonymous cookie and comments per article, and the share of Yes
        (null without votes). Votes of deleted accounts count as signed in: they were cast so."""
        votes = models.Count("helpfulness_votes")
        yes = models.Count("helpfulness_votes", filter=models.Q(helpfulness_votes__is_helpful=True))
        anonymous = models.Q(helpfulness_votes__voter_key__startswith=HelpfulnessVote.ANONYMOUS_KEY_PREFIX)
        return self.annotate(
            vote_count=votes,
            yes_count=yes,
            anonymous_count=models.Count("helpfulness_votes", filter=anonymous),
            signed_in_count=models.Count("helpfulness_votes", filter=~anonymous),
            comment_count=models.Count("helpfulness_votes", filter=~models.Q(helpfulness_votes__comment="")),
            share_yes=Cast(yes, models.FloatField()) / NullIf(votes, 0),
        )


class ArticleHelpfulness(Article):
    """Articles seen through readers' answers to 'Was this article helpful?', for the admin."""

    objects = ArticleHelpfulnessQuerySet.as_manager()

    @property
    def percent_yes(self):
        """Needs with_votes(); None for an article nobody has answered about."""
        return round(100 * self.share_yes) if self.share_yes is not None else None

    class Meta:
        proxy = True
        verbose_name = "article helpfulness"
        verbose_name_plural = "article helpfulness"


class ReaderSessionManager(models.Manager):
    def get_queryset(self):
        # A session is read to learn who is signed in: their row comes in the same query (accounts/sessions.py).
        return super().get_queryset().select_related("user")


class ReaderSession(AbstractBaseSession):
    """A browser's session, with the account signed in on it, so that one query tells who is reading, and
    deleting an account signs it out everywhere."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")

    objects = ReaderSessionManager()

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
