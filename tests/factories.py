import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from taggit.models import Tag

from accounts.models import Favorite, Follow, HelpfulnessVote, NewsletterSubscription, Profile, User
from articles.models import Article, Byline, GlossaryTerm, Person, Reference, ResearchFacts, Section, StudyDrug
from images import services as image_services
from images.models import Image
from promotions.models import Promotion
from recommendations.models import Dismissal, PausedTopic, SurveyResponse


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = "Articles for tests."


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    credentials = "MD"


class ArticleFactory(DjangoModelFactory):
    """A visible (published, in the past) article unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "What the study found and what it means for readers."
    body = "<p>The body of the article.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=Article.Status.IN_REVIEW, publish_at=None)
        approved = factory.Trait(status=Article.Status.APPROVED, publish_at=None)
        archived = factory.Trait(status=Article.Status.ARCHIVED)
        scheduled = factory.Trait(publish_at=factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1)))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)


class ReferenceFactory(DjangoModelFactory):
    class Meta:
        model = Reference

    article = factory.SubFactory(ArticleFactory)
    citation = factory.Sequence(lambda n: f"Author A. A study, number {n}. Journal of Tests, 2024.")
    url = "https://example.org/study"


class ResearchFactsFactory(DjangoModelFactory):
    """An observational study with no optional facts filled unless told otherwise."""

    class Meta:
        model = ResearchFacts

    article = factory.SubFactory(ArticleFactory)
    study_type = ResearchFacts.StudyType.OBSERVATIONAL

    class Params:
        every_fact = factory.Trait(
            study_type=ResearchFacts.StudyType.RANDOMISED_TRIAL,
            phase=ResearchFacts.Phase.PHASE_3,
            participants=4096,
            registry_id="ISRCTN19906132",
            presented_at="The Lancet",
            presented_on=factory.LazyFunction(timezone.localdate),
            evidence_strength=ResearchFacts.EvidenceStrength.STRONG,
            what_it_means="Ask your care team whether this treatment suits you.",
        )


class StudyDrugFactory(DjangoModelFactory):
    class Meta:
        model = StudyDrug

    facts = factory.SubFactory(ResearchFactsFactory)
    generic_name = factory.Sequence(lambda n: f"testinib{n}")


class GlossaryTermFactory(DjangoModelFactory):
    """Saved directly: stored article bodies are not refreshed (the services do that)."""

    class Meta:
        model = GlossaryTerm

    term = factory.Sequence(lambda n: f"Example term {n}")
    slug = factory.Sequence(lambda n: f"example-term-{n}")
    definition = "A plain explanation of the term."


class FavoriteFactory(DjangoModelFactory):
    class Meta:
        model = Favorite

    user = factory.SubFactory(UserFactory)
    article = factory.SubFactory(ArticleFactory)


class FollowFactory(DjangoModelFactory):
    """A reader following a topic (give one of section, tag or drug), with alerts at once unless told."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)


class HelpfulnessVoteFactory(DjangoModelFactory):
    """An anonymous reader's answer unless given a user (then keyed by the account, as the site does)."""

    class Meta:
        model = HelpfulnessVote

    article = factory.SubFactory(ArticleFactory)
    user = None
    voter_key = factory.LazyAttributeSequence(lambda vote, n: f"user:{vote.user.pk}" if vote.user else f"anon:{n:032x}")
    is_helpful = True
    comment = ""


class NewsletterSubscriptionFactory(DjangoModelFactory):
    """A confirmed, active subscription unless told otherwise."""

    class Meta:
        model = NewsletterSubscription

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(confirmed_at=None)
        unsubscribed = factory.Trait(unsubscribed_at=factory.LazyFunction(timezone.now))


class ProfileFactory(DjangoModelFactory):
    """A reader's profile with personalisation turned on (readers opt in) unless told otherwise.
    `sections` and `tags` take Section and taggit Tag objects."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    personalisation = True

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.add(*extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class DismissalFactory(DjangoModelFactory):
    """'Not interested' in an article."""

    class Meta:
        model = Dismissal

    user = factory.SubFactory(UserFactory)
    article = factory.SubFactory(ArticleFactory)


class PausedTopicFactory(DjangoModelFactory):
    """A topic (a taggit Tag) a reader paused; pass `tag`."""

    class Meta:
        model = PausedTopic

    user = factory.SubFactory(UserFactory)


class SurveyResponseFactory(DjangoModelFactory):
    """An answer to 'Are these recommendations helpful?'."""

    class Meta:
        model = SurveyResponse

    user = factory.SubFactory(UserFactory)
    rating = 4
    more_of = factory.LazyFunction(list)
    less_of = factory.LazyFunction(list)
    comment = ""


class PromotionFactory(DjangoModelFactory):
    """An untargeted article-sidebar promotion, showing since yesterday with no end, unless told
    otherwise. `target_sections` takes Section objects, `target_tags` tag names."""

    class Meta:
        model = Promotion
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Promotion number {n}")
    link = "/accounts/newsletter/"
    call_to_action = "Find out more"
    placement = Promotion.Placement.ARTICLE_SIDEBAR
    starts_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def target_sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_sections.add(*extracted)

    @factory.post_generation
    def target_tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_tags.add(*(Tag.objects.get_or_create(name=name)[0] for name in extracted))


class ImageFactory(DjangoModelFactory):
    """A library image with its renditions made, as after an upload whose transaction committed."""

    class Meta:
        model = Image

    file = factory.django.ImageField(width=1000, height=500, format="JPEG", color="pink")
    alt_text = factory.Sequence(lambda n: f"A test picture number {n}")
    credit = "Photo: Newsroom"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        image = model_class(*args, **kwargs)
        image_services.image_save(image=image)
        # Tests run inside a transaction that never commits, so on-commit work is done here.
        image_services.image_make_renditions(image=image)
        return image
