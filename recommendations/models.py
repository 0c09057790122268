from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from taggit.models import Tag

from articles.models import Article


class Dismissal(models.Model):
    """'Not interested': the article is never recommended again, and similar ones rank lower."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dismissals")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="dismissal_once_per_reader")]

    def __str__(self):
        return f"{self.user} is not interested in {self.article}"


class PausedTopic(models.Model):
    """A topic a reader does not want recommended for now, such as recurrence; undone from the profile."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paused_topics")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="paused_topic_once_per_reader")]

    def __str__(self):
        return f"{self.user} paused {self.tag}"


class SurveyResponse(models.Model):
    """'Are these recommendations helpful?': a quick survey, offered sparingly."""

    class Wish(models.TextChoices):
        NEWER_RESEARCH = "newer_research", "Newer research"
        PRACTICAL = "practical", "Practical advice for everyday life"
        TREATMENT = "treatment", "Treatment explainers"
        MY_TOPICS = "my_topics", "Articles on the topics I chose"
        VARIETY = "variety", "A wider variety of topics"
        HARD_NEWS = "hard_news", "Difficult news (recurrence, secondary cancer)"

    COMMENT_MAX_LENGTH = 1000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    rating = models.PositiveSmallIntegerField(help_text="1 (not helpful) to 5 (very helpful).")
    more_of = ArrayField(models.CharField(max_length=20, choices=Wish.choices), default=list, blank=True)
    less_of = ArrayField(models.CharField(max_length=20, choices=Wish.choices), default=list, blank=True)
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="survey_rating_1_to_5")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="survey_reader_newest_idx")]

    def __str__(self):
        return f"{self.rating}/5 on {self.created_at:%Y-%m-%d}"


class ContentNeighbour(models.Model):
    """Articles whose words and topics are most alike; rebuilt by `manage.py rebuild_recommendations`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "neighbour"], name="content_neighbour_unique")]

    def __str__(self):
        return f"{self.article_id} ~ {self.neighbour_id} ({self.similarity:.2f})"


class IndexedDocument(models.Model):
    """The text an article's content neighbours were last worked out from (its digest), and when: the next
    rebuild compares only the articles whose text changed since (recommendations/similarity.py)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    digest = models.CharField(max_length=40)
    indexed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.article_id} indexed {self.indexed_at:%Y-%m-%d %H:%M}"


class ArticlePopularity(models.Model):
    """An article's saves, and its saves weighted by their age (trending), as of `computed_at`. Kept by
    sources.rebuild_popularity, which only touches the articles saved since its last run: trending at a
    later moment is `trending` halved every `half_life_hours` since `computed_at`."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    saves = models.PositiveIntegerField(default=0)
    trending = models.FloatField(default=0, help_text="Saves weighted by how recent they are.")
    half_life_hours = models.FloatField(help_text="The trending half-life of the article's section.")
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.article_id}: {self.saves} saves"


class CoSave(models.Model):
    """Readers who saved `seed` also saved `article`, within SAVES_PER_SAVER saves of each other: their saves
    of `article` weighted by age (the co-save half-life), as of the popularity snapshot; the daily recount
    keeps the strongest CO_SAVES_KEPT per seed (recommendations/sources.py).

    `strength` is the natural log of that weight plus the decay's own clock, ln 2 × hours since 1970 ÷ the
    half-life, so that it never needs updating as time passes: the weight at any moment t is
    exp(strength − recommendations_lift(t)), and one seed's rows keep their order, which an index gives."""

    pk = models.CompositePrimaryKey("seed", "article")
    # Every hourly rebuild writes thousands of rows, so each costs as little as it can: no database constraint
    # checks it (Django deletes an article's rows with it, and the rows are counted afresh daily), and no index
    # but the two the queries read (seed leads the key; deleting an article, rare, may scan the table).
    seed = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    strength = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["seed", "-strength"], include=["article"], name="cosave_seed_strongest_idx")]

    def __str__(self):
        return f"{self.seed_id} → {self.article_id} ({self.strength:.2f})"


class PopularitySnapshot(models.Model):
    """The one row saying how far ArticlePopularity and CoSave have counted: every save before `taken_at`."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    taken_at = models.DateTimeField()
    full_at = models.DateTimeField(help_text="When every article was last counted afresh.")
    trending_half_life_hours = models.JSONField(help_text="The half-lives the counts were made with.")
    trending_ids = ArrayField(
        models.BigIntegerField(), default=list, help_text="The most trending articles at taken_at, most first."
    )
    co_save_half_life_hours = models.FloatField(null=True, help_text="The half-life CoSave was counted with.")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="popularity_snapshot_one_row")]

    def __str__(self):
        return f"Popularity as of {self.taken_at:%Y-%m-%d %H:%M}"


class SuggestionQuerySet(models.QuerySet):
    def for_context(self, article_id):
        """The rows suggested beside the article `article_id` (None: the home page). An article published
        since the last rebuild has none of its own yet, and gets the home page's."""
        home = models.Q(context__isnull=True)
        if article_id is None:
            return self.filter(home)
        own = models.Q(context_id=article_id)
        return self.filter(own | home & ~models.Exists(self.filter(own)))


class Suggestion(models.Model):
    """A non-personal suggestion on a page, ranked in advance by `manage.py rebuild_recommendations`
    for the home page and for every visible article, so a page view only reads it."""

    # The unique constraint's index, led by the context, serves every read and the cascade on delete.
    context = models.ForeignKey(
        Article,
        null=True,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
        help_text="The article being read; empty for the home page.",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggested_in")
    position = models.PositiveSmallIntegerField()
    reason = models.TextField(help_text="Why it is suggested, as readers see it; never about one reader.")
    computed_at = models.DateTimeField()

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["context", "position"], name="suggestion_position_once_per_page", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.article_id} at {self.position} beside {self.context_id or 'the home page'}"


class MostDismissed(Article):
    """Articles seen through readers' 'Not interested', for the admin."""

    class Meta:
        proxy = True
        verbose_name = "most dismissed article"
        verbose_name_plural = "most dismissed articles"


class Surface(models.TextChoices):
    PAGE = "page", "Recommended for you (page)"
    ARTICLE = "article", "Beside an article"
    HOME = "home", "Home page"


class RecommendationShown(models.Model):
    """A personal recommendation a reader was shown: where, at which position, why, and from which
    configuration. Kept RECOMMENDATION_EVENTS_KEEP_DAYS; nothing about the reader beyond what their
    recommendations already used."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    surface = models.CharField(max_length=10, choices=Surface.choices)
    position = models.PositiveSmallIntegerField(help_text="1 for the first shown.")
    reason = models.CharField(max_length=20, help_text="The signal that ranked it (engine.REASONS).")
    test = models.CharField(max_length=60, blank=True, help_text="The A/B test running, if any.")
    arm = models.CharField(max_length=1, help_text="A: the settings; B: the A/B test's configuration.")
    shown_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "article", "shown_at"], name="shown_reader_article_idx")]

    def __str__(self):
        return f"{self.article_id} shown to {self.user_id} at {self.position} ({self.surface})"


class RecommendationFollowed(models.Model):
    """A reader opening a recommended article from where it was shown."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    surface = models.CharField(max_length=10, choices=Surface.choices)
    followed_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "article", "followed_at"], name="followed_reader_article_idx")]

    def __str__(self):
        return f"{self.user_id} followed {self.article_id} ({self.surface})"
