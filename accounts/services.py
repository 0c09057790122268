"""What readers do: join, confirm, save favorites, vote, subscribe, download and delete their data."""

import logging
import uuid
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from taggit.models import Tag, TaggedItem

from articles.models import Article, Section, StudyDrug, drug_name_key, visible_tags
from articles.public_cache import cached_public
from newsroom.links import site_url
from outbox.services import queue_templated_email

from . import ratelimit
from .models import AlertedArticle, Favorite, Follow, HelpfulnessVote, NewsletterSubscription, Profile, User

CONFIRM_EMAIL_SALT = "accounts.confirm-email"
CONFIRM_EMAIL_MAX_AGE = timedelta(days=3)
JOIN_SEAL_SALT = "accounts.join-seal"
JOIN_SESSION_KEY = "join"
NEWSLETTER_CONFIRM_SALT = "accounts.newsletter-confirm"
NEWSLETTER_CONFIRM_MAX_AGE = timedelta(days=7)
NEWSLETTER_UNSUBSCRIBE_SALT = "accounts.newsletter-unsubscribe"
PENDING_FAVORITE_SESSION_KEY = "pending_favorite"
PENDING_FOLLOW_SESSION_KEY = "pending_follow"
VOTER_COOKIE = "newsroom_voter"
VOTER_COOKIE_SALT = "accounts.voter"
# Losing a reader's version only makes what was kept for them stale, so it need not be kept for ever.
READER_VERSION_SECONDS = 7 * 24 * 3600

logger = logging.getLogger(__name__)
VOTER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
KNOWN_DEVICE_COOKIE = "newsroom_device"
KNOWN_DEVICE_SALT = "accounts.known-device"
KNOWN_DEVICE_MAX_AGE = 60 * 60 * 24 * 365
KNOWN_DEVICE_ACCOUNTS = 5  # a shared family computer may be known for a few accounts
SIGN_IN_LINK_SALT = "accounts.sign-in-link"
SIGN_IN_LINK_MINUTES = 15
SIGN_IN_LINK_MAX_AGE = timedelta(minutes=SIGN_IN_LINK_MINUTES)
# New anonymous answers one network address may add to one article in a day: a few, not one, because a
# family or a hospital ward may share an address.
NEW_ANONYMOUS_VOTES_PER_ADDRESS = 5


class LinkError(Exception):
    """A link from an email that is tampered with, expired or used up; the message says which."""


class VoteNotCounted(Exception):
    """An answer that was not counted; the message tells the reader why, kindly."""


def send_templated_mail(*, to, subject, template, context):
    """Queue the email in the current transaction; a worker sends it (outbox)."""
    queue_templated_email(to=to, subject=subject, template=template, context=context)


# Joining and confirming an email address
#
# Being a member of a breast-cancer charity's site is itself private, so joining tells nobody whether an
# address has an account: every join gets the same reply and sends one email. A new account waits, unable
# to sign in, until the link in that email is opened. The link and the joining browser carry a seal of the
# password chosen at that join; a second join sets a new password and so retires every earlier link.


def join_seal(password_hash):
    """A seal of a password hash: it changes whenever the password does."""
    return salted_hmac(JOIN_SEAL_SALT, password_hash).hexdigest()


def join_account(*, email, password):
    """The account joining with `email` and the hash of the password just typed; only a new or a
    still-unconfirmed account takes the password."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, is_active=False)
            Profile.objects.create(user=user)
            return user, user.password
        if user.is_awaiting_confirmation:
            user.set_password(password)
            user.save(update_fields=["password"])
            return user, user.password
        # The address has an account: change nothing, but hash the password all the same, so the reply
        # takes as long as for a new address.
        return user, make_password(password)


def reader_join(*, email, password, base_url, session, next_url=""):
    """Start joining: the same work and the same email count for a new address, an unconfirmed one and
    one with an account (whose owner is told how to sign in instead). Remembers in `session` which join
    this browser made, so the link opened here finishes joining at once."""
    try:
        user, password_hash = join_account(email=email, password=password)
    except IntegrityError:
        # The same address joined at this very moment; now it exists, so this is a second join.
        user, password_hash = join_account(email=email, password=password)
    session[JOIN_SESSION_KEY] = {"seal": join_seal(password_hash), "next": next_url}
    if user.is_awaiting_confirmation:
        email_confirmation_send(user=user, base_url=base_url)
    else:
        join_attempt_notice_send(user=user, base_url=base_url)


def join_attempt_notice_send(*, user, base_url):
    send_templated_mail(
        to=user.email,
        subject=f"Someone tried to join {settings.SITE_NAME} with your email address",
        template="accounts/email/join_attempt.txt",
        context={
            "email": user.email,
            "sign_in_link": urljoin(base_url, reverse("accounts:sign_in")),
            "reset_link": urljoin(base_url, reverse("accounts:password_reset")),
        },
    )


def join_started_here(*, session, user):
    """Whether this browser made the join that `user`'s current password comes from."""
    seal = session.get(JOIN_SESSION_KEY, {}).get("seal", "")
    return constant_time_compare(seal, join_seal(user.password))


def join_finish(*, user, session):
    """The emailed link was opened: the account is confirmed and may sign in. Returns the local address
    the reader was on when they joined in this browser, or ''."""
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return session.pop(JOIN_SESSION_KEY, {}).get("next", "")


def email_confirmation_link(*, user, base_url):
    token = signing.dumps(
        {"user": user.pk, "email": user.email, "seal": join_seal(user.password)}, salt=CONFIRM_EMAIL_SALT
    )
    return urljoin(base_url, reverse("accounts:confirm_email", kwargs={"token": token}))


def email_confirmation_send(*, user, base_url):
    send_templated_mail(
        to=user.email,
        subject=f"Confirm your email address for {settings.SITE_NAME}",
        template="accounts/email/confirm_email.txt",
        context={
            "link": email_confirmation_link(user=user, base_url=base_url),
            "joining": user.is_awaiting_confirmation,
        },
    )


def read_link_token(token, *, salt, max_age=None, when_expired):
    """The data signed into an emailed link, or LinkError saying what is wrong with the link."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError(f"This link has expired. {when_expired}") from error
    except signing.BadSignature as error:
        raise LinkError("This link is not valid. Check that you copied all of it from the email.") from error


def email_confirmation_user(*, token):
    """The account a confirmation link is for, or LinkError. A link to finish joining works only while
    the account's password is the one chosen at the join that sent it."""
    data = read_link_token(
        token,
        salt=CONFIRM_EMAIL_SALT,
        max_age=CONFIRM_EMAIL_MAX_AGE,
        when_expired="Sign in and we will send you a new one.",
    )
    user = User.objects.filter(pk=data.get("user"), email__iexact=data.get("email", "")).first()
    if user is None:
        raise LinkError("This confirmation link belongs to an account that no longer exists.")
    if user.is_awaiting_confirmation and not constant_time_compare(data.get("seal", ""), join_seal(user.password)):
        raise LinkError(
            "This link no longer works: someone asked to join with this address again after it was sent, "
            "and only the newest link works. If that was not you, join again to choose your password and "
            "get a new link."
        )
    return user


def email_confirm(*, user):
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


# Profile


def profile_save(*, form, reader, subscribed, base_url):
    """Save the profile; its newsletter box subscribes (double opt-in) or unsubscribes.
    Returns a sentence for the reader about the newsletter, or ''."""
    form.save()
    reader_changed(reader.pk)
    wants_newsletter = form.cleaned_data["newsletter"]
    if (
        wants_newsletter
        and not subscribed
        and newsletter_subscribe(email=reader.email, base_url=base_url, user=reader) == "sent"
    ):
        return f"We sent a link to {reader.email} to confirm your research news subscription."
    if subscribed and not wants_newsletter:
        NewsletterSubscription.objects.filter(email__iexact=reader.email, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
        return "You are unsubscribed from research news."
    return ""


# What a reader has told us


def reader_version_key(user_id):
    return f"reader-version:{user_id}"


def reader_version_made(user_id):
    """A version for a reader who has none in the cache (it was emptied, or they are new to it): made unless
    another process has just made one, which then counts. Raises when the cache cannot be reached."""
    key = reader_version_key(user_id)
    cache.add(key, uuid.uuid4().hex, READER_VERSION_SECONDS)
    return cache.get(key)


def kept_for_reader(user, parts, build):
    """`build()`, kept until the reader next changes something (reader_changed: saves, answers, profile,
    "not interested", paused topics) or the site's content changes; built afresh each time when the cache
    cannot be reached."""
    bound_to = (reader_version_key(user.pk), lambda: reader_version_made(user.pk))
    return cached_public((*parts, user.pk), build, bound_to=bound_to)


def reader_changed(user_id):
    """What was kept for this reader is stale: now, and again once the transaction commits, since
    a page rendered meanwhile may have read the old rows."""

    def new_version():
        try:
            cache.set(reader_version_key(user_id), uuid.uuid4().hex, READER_VERSION_SECONDS)
        except Exception:
            logger.warning("Cache unreachable: what is kept for reader %s may lag their change for a while.", user_id)

    new_version()
    transaction.on_commit(new_version)


# Favorites


def favorite_add(*, reader, article):
    """Save an article; saving it twice, even at the same moment, keeps one favorite."""
    Favorite.objects.bulk_create([Favorite(user=reader, article=article)], ignore_conflicts=True)
    reader_changed(reader.pk)


def favorite_remove(*, reader, article):
    Favorite.objects.filter(user=reader, article=article).delete()
    reader_changed(reader.pk)


def favorite_remember_for_sign_in(*, session, article):
    """An anonymous reader asked to save: keep the wish until they sign in or join."""
    session[PENDING_FAVORITE_SESSION_KEY] = article.pk


def favorite_claim_pending(*, session, reader):
    """Save the article a reader chose before signing in, if it is still visible."""
    article_id = session.pop(PENDING_FAVORITE_SESSION_KEY, None)
    article = Article.objects.visible().filter(pk=article_id).first() if article_id else None
    if article is not None:
        favorite_add(reader=reader, article=article)
    return article


# Following a section, a tag or a drug


class TopicUnknown(Exception):
    """A topic that cannot be followed; the message tells the reader why."""


FOLLOW_KINDS = ("section", "tag", "drug")


def follow_target(topic, *, reader=None):
    """The section, tag or drug a posted topic ('section:screening', see articles.page_parts.topic) names, as the
    Follow fields that hold it. Only what readers can see: any section, a tag on a visible article, a drug a
    visible article's study tested; plus, for `reader`, what they follow already, so they can always stop.
    Raises TopicUnknown otherwise."""
    kind, _, value = (topic or "").partition(":")
    value = value.strip()
    if kind not in FOLLOW_KINDS or not value:
        raise TopicUnknown("Choose a section, a topic or a drug to follow.")
    own = Follow.objects.filter(user=reader) if reader is not None else Follow.objects.none()
    if kind == "section":
        section = Section.objects.filter(slug=value).first()
        if section is None:
            raise TopicUnknown("There is no such section.")
        return {"section": section}
    if kind == "tag":
        tag = Tag.objects.filter(Q(pk__in=visible_tags()) | Q(pk__in=own.values("tag_id")), slug=value).first()
        if tag is None:
            raise TopicUnknown("There are no articles on that topic.")
        return {"tag": tag}
    drug = drug_name_key(value)
    studied = StudyDrug.objects.annotate(name_key=Lower("generic_name")).filter(
        name_key=drug, facts__article__in=Article.objects.visible()
    )
    if len(drug) > Follow._meta.get_field("drug").max_length or not (
        studied.exists() or own.filter(drug=drug).exists()
    ):
        raise TopicUnknown("We have no research news about a drug of that name.")
    return {"drug": drug}


def topic_name(target):
    """What readers call a follow target: the section's or tag's name, the drug's generic name."""
    return target["section"].name if "section" in target else target["tag"].name if "tag" in target else target["drug"]


def topic_url(target):
    """Where readers find a follow target's articles."""
    if "section" in target:
        return target["section"].get_absolute_url()
    if "tag" in target:
        return reverse("articles:tag", kwargs={"slug": target["tag"].slug})
    return f"{reverse('articles:search')}?{urlencode({'q': target['drug']})}"


def follow_add(*, reader, target, frequency=None):
    """Follow `target` (follow_target()); following it again, even at the same moment, keeps one follow and
    changes only its frequency, when one is given. Returns the follow."""
    follow, created = Follow.objects.get_or_create(
        user=reader, **target, defaults={"frequency": frequency or Follow.Frequency.AT_ONCE}
    )
    if not created and frequency and follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    reader_changed(reader.pk)
    return follow


def follow_remove(*, reader, target):
    Follow.objects.filter(user=reader, **target).delete()
    reader_changed(reader.pk)


def follow_remember_for_sign_in(*, session, topic, frequency):
    """An anonymous reader asked to follow: keep the wish until they sign in or join."""
    session[PENDING_FOLLOW_SESSION_KEY] = {"topic": topic, "frequency": frequency}


def follow_claim_pending(*, session, reader):
    """Follow the topic a reader chose before signing in, if it can still be followed; its name, or None."""
    pending = session.pop(PENDING_FOLLOW_SESSION_KEY, None) or {}
    try:
        target = follow_target(pending.get("topic"), reader=reader)
    except TopicUnknown:
        return None
    follow_add(reader=reader, target=target, frequency=pending.get("frequency"))
    return topic_name(target)


def reader_follows(user):
    """The reader's follows, oldest first, with their sections and tags."""
    return Follow.objects.filter(user=user).select_related("section", "tag").order_by("created_at", "pk")


def follow_page_parts(page):
    """Which of the topics a page offers the reader follows, as `followed_topics`, from the topics kept with
    their marks (reader_marks): no query, and none for a page without topics or a reader not signed in (who
    sees every topic as not followed)."""
    user = page.request.user
    if not page.topics or not user.is_authenticated:
        return {}
    return {"followed_topics": reader_marks(user)["followed"].intersection(page.topics)}


# Topic alerts
#
# An article alerts its topics' followers once, when readers can first see it: the sweep below runs every
# minute and takes the visible articles it has not done yet (AlertedArticle), so a scheduled article alerts
# when its time comes and one taken down and put back never alerts twice. Only recent articles count, and
# only follows made before the article's publish time, so neither the first sweep nor one after a long stop
# mails readers about old news.

ALERTS_RECENT = timedelta(days=2)
DIGEST_PERIOD = timedelta(days=7)


def follows_of_articles(articles, *, frequency):
    """{article id: {user: [follows]}}: the active readers following, with `frequency`, a topic of each of
    `articles` (their section, a tag, a drug their study tested). Four queries, however many articles."""
    ids = [article.pk for article in articles]
    tags, drugs = defaultdict(set), defaultdict(set)
    tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article), object_id__in=ids)
    for article_id, tag_id in tagged.values_list("object_id", "tag_id"):
        tags[article_id].add(tag_id)
    for article_id, name in StudyDrug.objects.filter(facts_id__in=ids).values_list("facts_id", "generic_name"):
        drugs[article_id].add(drug_name_key(name))
    follows = (
        Follow.objects.filter(frequency=frequency, user__is_active=True)
        .filter(
            Q(section_id__in={article.section_id for article in articles})
            | Q(tag_id__in=set().union(*tags.values()))
            | Q(drug__in=set().union(*drugs.values()))
        )
        .select_related("user", "section", "tag")
        .order_by("user_id", "pk")
    )
    found = defaultdict(lambda: defaultdict(list))
    for follow in follows:
        for article in articles:
            if (
                follow.section_id == article.section_id
                or follow.tag_id in tags[article.pk]
                or follow.drug in drugs[article.pk]
            ):
                found[article.pk][follow.user].append(follow)
    return found


def topic_alerts_send(*, now=None):
    """Queue the alerts of articles that became visible since the last sweep, one email per article and
    reader however many of their topics it matches; returns how many were queued."""
    now = now or timezone.now()
    due = list(
        Article.objects.visible(at=now)
        .filter(publish_at__gt=now - ALERTS_RECENT, alerted__isnull=True)
        .select_related("section")
        .order_by("publish_at", "pk")
    )
    if not due:
        return 0
    followers = follows_of_articles(due, frequency=Follow.Frequency.AT_ONCE)
    queued = 0
    for article in due:
        with transaction.atomic():
            # Recorded first: a sweep running at the same moment waits here for this one to commit, then
            # finds the article done.
            _, first = AlertedArticle.objects.get_or_create(article=article)
            if not first:
                continue
            for user, follows in followers[article.pk].items():
                reasons = [follow for follow in follows if follow.created_at < article.publish_at]
                if reasons:
                    topic_alert_queue(article=article, user=user, follows=reasons)
                    queued += 1
    return queued


def because(follows):
    """'tamoxifen (a drug) and Screening (a section)'."""
    names = [f"{follow.topic_name} (a {follow.kind_label})" for follow in follows]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def topic_alert_queue(*, article, user, follows):
    queue_templated_email(
        to=user.email,
        subject=f"New on {settings.SITE_NAME}: {article.title}",
        template="accounts/email/topic_alert.txt",
        context={
            "article": article,
            "because": because(follows),
            "link": site_url(article.get_absolute_url()),
            "manage_link": site_url(reverse("accounts:profile") + "#follows"),
        },
        key=f"topic-alert:{article.pk}:{user.pk}",
    )


def weekly_digests_send(*, now=None):
    """Queue one digest per reader with weekly follows: the articles that became visible in the week before
    `now` on any of their topics, newest first; none for a reader with nothing new. Sent once per ISO week
    (its send key); returns how many were queued."""
    now = now or timezone.now()
    articles = list(
        Article.objects.visible(at=now)
        .filter(publish_at__gt=now - DIGEST_PERIOD)
        .select_related("section")
        .order_by("-publish_at", "-pk")
    )
    if not articles:
        return 0
    followers = follows_of_articles(articles, frequency=Follow.Frequency.WEEKLY)
    digests = defaultdict(list)
    for article in articles:
        for user, follows in followers[article.pk].items():
            digests[user].append({"article": article, "link": site_url(article.get_absolute_url()),
                                  "because": because(follows)})  # fmt: skip
    year, week, _ = timezone.localtime(now).isocalendar()
    for user, items in digests.items():
        with transaction.atomic():
            queue_templated_email(
                to=user.email,
                subject=f"Your weekly {settings.SITE_NAME} digest: {len(items)} new "
                + ("article" if len(items) == 1 else "articles"),
                template="accounts/email/topic_digest.txt",
                context={"items": items, "manage_link": site_url(reverse("accounts:profile") + "#follows")},
                key=f"topic-digest:{year}-W{week:02d}:{user.pk}",
            )
    return len(digests)


# 'Was this article helpful?'


def voter_key_for(user):
    return f"user:{user.pk}"


def voter_key_new():
    return f"{HelpfulnessVote.ANONYMOUS_KEY_PREFIX}{uuid.uuid4().hex}"


def voter_key_from_cookie(request):
    """An anonymous reader's key from their signed cookie, or None (a tampered cookie counts as none)."""
    return request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_COOKIE_SALT)


def vote_record(*, article, voter_key, user, is_helpful, address):
    """Record or change a reader's answer; the last answer counts. A new anonymous answer counts only
    while its network address has added fewer than a few to this article today, so that fresh cookies
    cannot stuff the totals (VoteNotCounted otherwise). A reader may always change their own answer."""
    if user is None and not HelpfulnessVote.objects.filter(article=article, voter_key=voter_key).exists():
        key = f"vote-new:{article.pk}:{address}"
        if not ratelimit.hit(key, limit=NEW_ANONYMOUS_VOTES_PER_ADDRESS, per_seconds=24 * 60 * 60):
            raise VoteNotCounted(
                "Thank you for answering. We could not count this answer: we already have several answers "
                "about this article from your internet connection today, and we count only a few from each "
                "connection so that the results stay fair. You can answer again tomorrow, or sign in to "
                "answer now."
            )
    now = timezone.now()
    HelpfulnessVote.objects.bulk_create(
        [HelpfulnessVote(article=article, voter_key=voter_key, user=user, is_helpful=is_helpful, updated_at=now)],
        update_conflicts=True,
        unique_fields=["article", "voter_key"],
        update_fields=["is_helpful", "updated_at"],
    )
    if user is not None:
        reader_changed(user.pk)
    return HelpfulnessVote.objects.get(article=article, voter_key=voter_key)


def vote_comment(*, vote, comment):
    vote.comment = comment.strip()[: HelpfulnessVote.COMMENT_MAX_LENGTH]
    vote.save(update_fields=["comment", "updated_at"])
    if vote.user_id is not None:
        reader_changed(vote.user_id)
    return vote


# Newsletter


def newsletter_subscribe(*, email, base_url, user=None):
    """Start a double opt-in. Returns 'sent', or 'already' for an address that is subscribed, whose owner is
    told so by email: the page answers the same either way, as being subscribed is itself private."""
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.select_for_update().filter(email__iexact=email).first()
        already = subscription is not None and subscription.is_active
        if subscription is None:
            subscription = NewsletterSubscription.objects.create(email=email, user=user)
        elif subscription.unsubscribed_at:
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            subscription.save(update_fields=["unsubscribed_at", "confirmed_at"])
    context = {"unsubscribe_link": newsletter_unsubscribe_link(subscription=subscription, base_url=base_url)}
    if already:
        subject, template = f"You already receive {settings.SITE_NAME} research news", "newsletter_already.txt"
    else:
        confirm = signing.dumps(subscription.pk, salt=NEWSLETTER_CONFIRM_SALT)
        context["link"] = urljoin(base_url, reverse("accounts:newsletter_confirm", kwargs={"token": confirm}))
        subject = f"Please confirm your {settings.SITE_NAME} research news subscription"
        template = "newsletter_confirm.txt"
    send_templated_mail(to=subscription.email, subject=subject, template=f"accounts/email/{template}", context=context)
    return "already" if already else "sent"


def newsletter_unsubscribe_link(*, subscription, base_url):
    token = signing.dumps(subscription.pk, salt=NEWSLETTER_UNSUBSCRIBE_SALT)
    return urljoin(base_url, reverse("accounts:newsletter_unsubscribe", kwargs={"token": token}))


def newsletter_confirm(*, token):
    pk = read_link_token(
        token,
        salt=NEWSLETTER_CONFIRM_SALT,
        max_age=NEWSLETTER_CONFIRM_MAX_AGE,
        when_expired="Subscribe again to get a new one.",
    )
    subscription = NewsletterSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise LinkError("This subscription no longer exists. You can subscribe again at any time.")
    if subscription.unsubscribed_at:
        raise LinkError("This address was unsubscribed after the link was sent. Subscribe again to restart.")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def newsletter_unsubscribe_subscription(*, token):
    """The subscription an unsubscribe link is for (None if it was deleted), or LinkError."""
    pk = read_link_token(token, salt=NEWSLETTER_UNSUBSCRIBE_SALT, when_expired="")
    return NewsletterSubscription.objects.filter(pk=pk).first()


def newsletter_unsubscribe(*, token):
    subscription = newsletter_unsubscribe_subscription(token=token)
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


# Signing in: the ceiling per account, known devices and emailed sign-in links


def device_mark(user_pk):
    """What a known-device cookie holds for an account: a keyed hash of its id, no personal data."""
    return salted_hmac(KNOWN_DEVICE_SALT, str(user_pk)).hexdigest()[:32]


def known_device_marks(request):
    value = request.get_signed_cookie(
        KNOWN_DEVICE_COOKIE, default="", salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE
    )
    return [mark for mark in value.split(".") if mark]


def known_device_cookie_value(*, request, user):
    """This browser's marks with `user`'s first, keeping the few accounts signed in most recently."""
    mark = device_mark(user.pk)
    marks = [mark, *(other for other in known_device_marks(request) if other != mark)]
    return ".".join(marks[:KNOWN_DEVICE_ACCOUNTS])


def sign_in_paused(*, request, email):
    """True when `email` has had its ceiling of password checks, from all addresses, and this browser
    is not known for its account. Counted before the password is checked, so no burst gets past it."""
    if ratelimit.sign_in_account_hit(email):
        return False
    marks = known_device_marks(request)
    if not marks:
        return True
    user_pk = User.objects.filter(email__iexact=email, is_active=True).values_list("pk", flat=True).first()
    return user_pk is None or device_mark(user_pk) not in marks


def sign_in_link_stamp(user):
    """Changes when the reader signs in or changes their password, so a sign-in link works once."""
    return salted_hmac(SIGN_IN_LINK_SALT, f"{user.pk}:{user.password}:{user.last_login}").hexdigest()


def sign_in_link_send(*, email, base_url, next_url=""):
    """Email a sign-in link if an active account uses `email`; otherwise do nothing, and say the same."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    token = signing.dumps(
        {"user": user.pk, "stamp": sign_in_link_stamp(user), "next": next_url}, salt=SIGN_IN_LINK_SALT
    )
    send_templated_mail(
        to=user.email,
        subject=f"Your link to sign in to {settings.SITE_NAME}",
        template="accounts/email/sign_in_link.txt",
        context={
            "link": urljoin(base_url, reverse("accounts:sign_in_link_open", kwargs={"token": token})),
            "minutes": SIGN_IN_LINK_MINUTES,
        },
    )


def sign_in_link_check(*, token, lock=False):
    """The account an emailed sign-in link is for and where it leads, or LinkError."""
    data = read_link_token(
        token,
        salt=SIGN_IN_LINK_SALT,
        max_age=SIGN_IN_LINK_MAX_AGE,
        when_expired=f"Sign-in links work for {SIGN_IN_LINK_MINUTES} minutes: ask for a new one.",
    )
    accounts = User.objects.select_for_update() if lock else User.objects.all()
    user = accounts.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("stamp", ""), sign_in_link_stamp(user)):
        raise LinkError("This sign-in link has already been used; each link works once. Ask for a new one.")
    return user, data.get("next", "")


def sign_in_link_use(*, request, token):
    """Sign in with an emailed link. The account's row stays locked until the sign-in is saved, so the
    same link opened twice at once signs in only once."""
    with transaction.atomic():
        user, next_url = sign_in_link_check(token=token, lock=True)
        login(request, user, backend="accounts.backends.SessionUserBackend")
    return user, next_url


# Data rights

# Other apps add their part of 'Download my data' here (accounts cannot import them).
READER_DATA_SOURCES = []


def register_reader_data(source):
    """`source(user)` returns a dict merged into the reader's data download."""
    if source not in READER_DATA_SOURCES:
        READER_DATA_SOURCES.append(source)


def readers_subscriptions(user):
    """A reader's subscriptions: to their account's address, and any other address they subscribed."""
    return Q(email__iexact=user.email) | Q(user=user)


def reader_data_export(*, user):
    """Everything stored about a reader, as plain data for 'Download my data'."""
    profile = Profile.objects.filter(user=user).prefetch_related("sections", "tags").first()
    subscriptions = NewsletterSubscription.objects.filter(readers_subscriptions(user)).order_by("created_at")
    favorites = Favorite.objects.filter(user=user).select_related("article").order_by("-created_at")
    votes = HelpfulnessVote.objects.filter(user=user).select_related("article").order_by("-updated_at")
    data = {
        "account": {
            "email": user.email,
            "joined": user.date_joined,
            "last_sign_in": user.last_login,
            "email_confirmed": user.email_confirmed_at,
        },
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "situation": profile.get_situation_display() if profile.situation else "",
            "topics": {
                "sections": [section.name for section in profile.sections.all()],
                "tags": [tag.name for tag in profile.tags.all()],
            },
            "personalisation": profile.personalisation,
            "updated": profile.updated_at,
        },
        "favorites": [
            {
                "article": favorite.article.title,
                "url": favorite.article.get_absolute_url(),
                "saved": favorite.created_at,
            }
            for favorite in favorites
        ],
        "helpfulness_votes": [
            {
                "article": vote.article.title,
                "helpful": vote.is_helpful,
                "comment": vote.comment,
                "answered": vote.updated_at,
            }
            for vote in votes
        ],
        "newsletter": [
            {"email": subscription.email, "status": subscription.status, "since": subscription.created_at}
            for subscription in subscriptions
        ],
        "follows": [
            {
                "topic": follow.topic_name,
                "kind": follow.kind_label,
                "alerts": follow.get_frequency_display(),
                "since": follow.created_at,
            }
            for follow in reader_follows(user)
        ],
    }
    for source in READER_DATA_SOURCES:
        data.update(source(user))
    return data


def reader_delete(*, user):
    """Delete the account, its profile, favorites and follows (with the account) and its newsletter
    subscription; votes stay, counted anonymously, with nothing that leads back to the person."""
    with transaction.atomic():
        for vote in HelpfulnessVote.objects.filter(user=user).only("pk"):
            HelpfulnessVote.objects.filter(pk=vote.pk).update(user=None, voter_key=f"deleted:{uuid.uuid4().hex}")
        NewsletterSubscription.objects.filter(readers_subscriptions(user)).delete()
        user.delete()


def reader_marks(user):
    """The articles a signed-in reader saved and those they answered 'Was this article helpful?' about, as
    two sets of ids, and the topics they follow (as page_parts.topic() writes them): kept, so that a page asks
    the database only for an answer it will show, however many articles the reader opens."""

    def build():
        saved = Favorite.objects.filter(user=user).values_list("article_id", flat=True)
        answered = HelpfulnessVote.objects.filter(voter_key=voter_key_for(user)).values_list("article_id", flat=True)
        followed = {follow.topic for follow in Follow.objects.filter(user=user).select_related("section", "tag")}
        return {"saved": set(saved), "answered": set(answered), "followed": followed}

    return kept_for_reader(user, ("reader marks", "with follows"), build)


def reader_page_parts(page):
    """The reader's saves among a page's articles and, on an article page, their answer to 'Was this article
    helpful?' (one query when they gave one; none for a reader not signed in without a voter key)."""
    shown = [*page.card_ids, *([page.article.pk] if page.article is not None else [])]
    if not shown:
        return {}
    user = page.request.user
    marks = reader_marks(user) if user.is_authenticated else {"saved": set(), "answered": set()}
    parts = {"saved_ids": marks["saved"].intersection(shown)}
    if page.article is not None:
        if user.is_authenticated:
            key = voter_key_for(user) if page.article.pk in marks["answered"] else None
        else:
            key = voter_key_from_cookie(page.request)
        vote = None
        if key:
            vote = HelpfulnessVote.objects.filter(article=page.article, voter_key=key).only("is_helpful", "comment")
            vote = vote.first()
        parts.update(vote=vote, comment_max_length=HelpfulnessVote.COMMENT_MAX_LENGTH)
    return parts
