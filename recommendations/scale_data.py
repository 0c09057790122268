"""Synthetic readers, articles and favorites at a realistic scale, for measuring recommendations.

Used by `manage.py generate_scale_data` and `benchmarks/recommendations_latency.py`. The data has
the shape recommendations depend on, not just the volume:

- articles belong to topics: each topic has a section, a handful of tags and its own words, so
  content neighbours are meaningful and tags cluster as editors' tags do;
- a few readers save a lot and most save little (log-normal activity), popularity is Zipf-like over
  articles and leans towards recent ones, and each reader keeps coming back to their own topics;
- saves happen after the article appeared and after the reader joined, within the last year, and
  mostly soon after publication, so "recent savers" and trending scores behave as on a live site.

The big tables are written with PostgreSQL COPY; the ORM's bulk_create would take far longer.
"""

import io
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from accounts.models import Favorite, Profile, User
from articles.models import Article, Byline, Person, Section

from .similarity import rebuild_content_neighbours
from .sources import rebuild_popularity
from .suggestions import rebuild_suggestions

EMAIL_DOMAIN = "scale.invalid"  # Reserved (RFC 2606): mail to these readers can never be delivered.
DAY = 86400
TAG_COUNT = 300
TOPIC_COUNT = 30
ARTICLE_YEARS = 3
FAVORITE_WINDOW_DAYS = 365
PERSONALISED_SHARE = 0.7
SAVING_READER_SHARE = 0.7  # the rest only read: cold-start readers for recommendations
TOPICAL_SAVE_SHARE = 0.6  # saves from a reader's own topics; the rest follow overall popularity
SAVE_DECAY_DAYS = 30  # how soon after publication most saves come
SAVED_SOON_SHARE = 0.6
MAX_SAVES = 2000
MAX_SAVES_SHARE = 0.8
SEARCH_VECTOR_CHUNK = 2000
COPY_CHUNK_ROWS = 100_000

# (name, slug): the site's real sections first, because reader situations are matched by slug.
SECTIONS = [
    ("Research News", "research-news"),
    ("Treatment", "treatment"),
    ("Diagnosis", "diagnosis"),
    ("Living Well", "living-well"),
    ("Prevention and Risk", "prevention-and-risk"),
    ("Genetics", "genetics"),
    ("Clinical Trials", "clinical-trials"),
    ("Secondary Breast Cancer", "secondary-breast-cancer"),
]

COMMON_WORDS = [
    "the", "of", "and", "in", "to", "a", "with", "for", "was", "were", "that", "on", "as", "by", "is", "at",
    "from", "than", "who", "had", "or", "after", "more", "less", "their", "this", "these", "not", "be", "have",
    "it", "but", "which", "also", "among", "women", "study", "patients", "researchers", "found", "results",
    "group", "years", "risk", "treatment", "cancer", "breast", "data", "trial", "rate", "higher", "lower",
    "compared", "between", "during", "over", "those", "each", "most", "some", "people", "team", "reported",
    "showed", "suggests", "likely", "may", "new", "doctors", "care", "weeks", "daily", "early", "later",
]  # fmt: skip

MEDICAL_WORDS = [
    "tamoxifen", "screening", "mammogram", "chemotherapy", "radiotherapy", "oestrogen", "receptor", "hormone",
    "therapy", "metastatic", "survival", "tumour", "biopsy", "lymph", "node", "mastectomy", "lumpectomy",
    "HER2", "trastuzumab", "aromatase", "inhibitor", "letrozole", "anastrozole", "exemestane", "recurrence",
    "relapse", "prognosis", "diagnosis", "oncologist", "surgeon", "nurse", "clinic", "hospital", "invasive",
    "ductal", "lobular", "carcinoma", "staging", "grade", "mutation", "BRCA1", "BRCA2", "genetic", "inherited",
    "family", "density", "ultrasound", "MRI", "imaging", "scan", "pathology", "adjuvant", "neoadjuvant",
    "endocrine", "targeted", "immunotherapy", "pembrolizumab", "palbociclib", "ribociclib", "abemaciclib",
    "CDK4", "fatigue", "menopause", "fertility", "pregnancy", "bone", "osteoporosis", "lymphoedema",
    "reconstruction", "implant", "radiation", "dose", "hypofractionated", "cardiotoxicity", "exercise", "diet",
    "obesity", "alcohol", "smoking", "prevention", "vaccine", "antibody", "randomised", "placebo", "cohort",
    "registry", "biomarker", "Ki67", "genomic", "assay", "sentinel", "axillary", "margin", "palliative",
    "hospice", "survivorship", "anxiety", "depression", "support", "nutrition", "sleep", "pain", "nausea",
    "neuropathy", "hair", "scalp", "cooling", "wig", "prosthesis", "bra", "nipple", "skin", "heart", "liver",
    "lung", "brain", "spread", "secondary", "stable", "phase", "enrolment", "consent",
]  # fmt: skip

# Pieces for medical-looking made-up words, so the vocabulary is large without being a word list.
PREFIXES = [
    "cardio", "neuro", "onco", "immuno", "hepato", "nephro", "derma", "endo", "myo", "osteo", "haemo", "lympho",
    "angio", "cyto", "gastro", "pneumo", "histo", "patho", "pharmaco", "radio", "thermo", "chromo",
]  # fmt: skip
ROOTS = ["gen", "lys", "troph", "plas", "stat", "cept", "graph", "kin", "mab", "tin", "zum", "path", "log", "morph"]
SUFFIXES = ["ic", "al", "osis", "itis", "ine", "ase", "ide", "oma", "ema", "ary", "ous", "ity", "ist", "ia"]

PEOPLE = [
    "Amelia Adams", "Ben Bennett", "Chloe Chen", "David Davies", "Emma Evans", "Farah Fischer", "Grace Garcia",
    "Hannah Hughes", "Isaac Iqbal", "Kavita Khan", "Laura Lewis", "Mei Morgan", "Nadia Novak", "Priya Patel",
]  # fmt: skip


class DoesNotFit(ValueError):
    """More favorites were asked for than can be unique per reader and article."""


@dataclass
class Topic:
    section: Section
    tags: list  # Tag objects
    words: np.ndarray  # indexes into the vocabulary


@dataclass
class Articles:
    """What later phases need to know about the generated articles, as parallel arrays."""

    ids: np.ndarray
    topics: np.ndarray
    published: np.ndarray  # epoch seconds
    popularity_rank: np.ndarray  # 0 = most popular


@dataclass
class Readers:
    user_ids: np.ndarray
    joined: np.ndarray  # epoch seconds
    topics: np.ndarray  # per reader, up to three topic indexes, padded with -1
    topic_counts: np.ndarray


# --- Helpers ---------------------------------------------------------------------------------


def copy_escape(value):
    """A value in COPY's text format: backslash, tab and line breaks would end the field or row."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(model, fields, rows):
    """COPY rows (tuples in the order of `fields`) into the model's table, a chunk at a time."""
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    buffer = io.StringIO()
    count = 0
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join(map(copy_escape, row)))
            buffer.write("\n")
            count += 1
            if count % COPY_CHUNK_ROWS == 0:
                _flush(cursor, statement, buffer)
                buffer = io.StringIO()
        _flush(cursor, statement, buffer)
    return count


def _flush(cursor, statement, buffer):
    with cursor.copy(statement) as copy:
        copy.write(buffer.getvalue())


def reserve_ids(model, count):
    """Take `count` primary keys from the table's sequence, so rows can be COPied with their ids
    and related rows can refer to them without reading anything back."""
    sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.db_table, model._meta.pk.column, count])
        return np.array(sorted(row[0] for row in cursor.fetchall()), dtype=np.int64)


def timestamp(seconds):
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def zipf_weights(count, exponent=1.0, offset=1.0):
    """Weights for ranks 0..count-1 falling off like a Zipf-Mandelbrot law."""
    return (np.arange(count, dtype=np.float64) + offset) ** -exponent


def cumulative(weights):
    total = np.cumsum(weights)
    return total / total[-1]


# --- Vocabulary and text ---------------------------------------------------------------------


class Writer:
    """Sentences from a Zipf-distributed general vocabulary, mixed with one topic's own words."""

    TOPIC_WORD_SHARE = 0.25

    def __init__(self, rng, size=3000):
        invented = sorted({p + r + s for p in PREFIXES for r in ROOTS for s in SUFFIXES})
        common = list(dict.fromkeys(COMMON_WORDS))
        real = list(dict.fromkeys(common + MEDICAL_WORDS))
        words = real + rng.permutation(invented)[: size - len(real)].tolist()
        self.words = np.array(words, dtype=object)
        self.index = {word.lower(): position for position, word in enumerate(words)}
        self.medical = np.arange(len(common), len(real))
        self.invented = np.arange(len(real), len(words))
        self.cum = cumulative(zipf_weights(len(words), exponent=1.05))
        self.rng = rng

    def topic_words(self, tag_names, count=40):
        """A topic's words: those of its tags, some medical words and some invented ones from the rarer
        part of the vocabulary, so that articles of one topic share words that others seldom use."""
        own = [self.index[word] for name in tag_names for word in name.split() if word in self.index]
        medical = self.rng.choice(self.medical, size=count // 3, replace=False)
        invented = self.rng.choice(self.invented, size=count - count // 3, replace=False)
        return np.unique(np.concatenate([np.array(own, dtype=np.int64), medical, invented]))

    def words_for(self, topic, count):
        general = np.searchsorted(self.cum, self.rng.random(count))
        topical = topic.words[self.rng.integers(0, len(topic.words), count)]
        chosen = np.where(self.rng.random(count) < self.TOPIC_WORD_SHARE, topical, general)
        return self.words[chosen].tolist()

    def article_text(self, topic):
        """(title, summary, body HTML, body as plain text): about 400 words, with a subheading.
        All words are drawn at once and then cut into sentences: drawing per sentence is slow."""
        paragraphs = self.rng.integers(4, 7)
        lengths = [
            [self.rng.integers(6, 13)],  # title
            self.rng.integers(16, 23, 2),  # summary
            [self.rng.integers(3, 7)],  # subheading
            *(self.rng.integers(12, 21, self.rng.integers(4, 7)) for _ in range(paragraphs)),
        ]
        words = iter(self.words_for(topic, int(sum(int(sum(part)) for part in lengths))))
        title, summary, heading, *body = [
            " ".join(sentence([next(words) for _ in range(int(length))]) for length in part) for part in lengths
        ]
        title, heading = title.rstrip("."), heading.rstrip(".")
        html = [f"<p>{text}</p>" for text in body]
        html.insert(2, f"<h2>{heading}</h2>")
        # What articles.sanitise.html_to_text would give; bulk inserts skip Article.save().
        body_text = " ".join([*body[:2], heading, *body[2:]])
        return title, summary, "\n".join(html), body_text


def sentence(words):
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]]) + "."


# --- Sections, tags, topics, people ----------------------------------------------------------


def ensure_sections():
    """The sections, reusing any that exist (same slug), so --force on a real database is safe."""
    existing = {section.slug: section for section in Section.objects.filter(slug__in=[s for _, s in SECTIONS])}
    for order, (name, slug) in enumerate(SECTIONS):
        if slug not in existing:
            existing[slug] = Section.objects.create(name=name, slug=slug, description=f"{name}.", order=order)
    return [existing[slug] for _, slug in SECTIONS]


def ensure_tags(rng, count=TAG_COUNT):
    """About `count` tags: medical words and two-word phrases, reusing tags of the same slug."""
    names = {}
    while len(names) < count:
        name = " ".join(rng.choice(MEDICAL_WORDS, size=rng.choice([1, 1, 2]), replace=False)).lower()
        names.setdefault(slugify(name), name)
    Tag.objects.bulk_create([Tag(name=name, slug=slug) for slug, name in names.items()], ignore_conflicts=True)
    # A conflict (the name taken under another slug) skips that tag, so read back what exists.
    return list(Tag.objects.filter(slug__in=names).order_by("slug"))


def make_topics(writer, rng, sections, tags, count=TOPIC_COUNT):
    """Topics spread over the sections; each tag belongs to one topic."""
    shuffled = [tags[index] for index in rng.permutation(len(tags))]
    topics = []
    for index in range(count):
        topic_tags = shuffled[index::count]
        words = writer.topic_words([tag.name for tag in topic_tags])
        topics.append(Topic(section=sections[index % len(sections)], tags=topic_tags, words=words))
    return topics


def ensure_people():
    people = {person.slug: person for person in Person.objects.filter(slug__in=[slugify(n) for n in PEOPLE])}
    for name in PEOPLE:
        if slugify(name) not in people:
            people[slugify(name)] = Person.objects.create(
                name=name, slug=slugify(name), credentials="Science writer", bio=f"{name} writes for us."
            )
    return list(people.values())


def prepare_catalogue(rng):
    """Sections, tags, people and topics: the small tables everything else refers to."""
    sections = ensure_sections()
    tags = ensure_tags(rng)
    writer = Writer(rng)
    return writer, make_topics(writer, rng, sections, tags), tags, ensure_people()


# --- Articles --------------------------------------------------------------------------------


def publish_times(rng, count, now):
    """Over the last ARTICLE_YEARS, more of them recent (the site publishes more each year), and
    none in the last two hours, so every article can have been saved since."""
    ages = ARTICLE_YEARS * 365 * DAY * rng.random(count) ** 1.5
    return now - np.maximum(ages, 2 * 3600)


def popularity_ranks(rng, published, now):
    """Rank 0 is the most popular: a random appeal, larger for recent articles (news ages)."""
    age_years = (now - published) / (365 * DAY)
    appeal = rng.lognormal(0.0, 1.0, len(published)) * (0.3 + 0.7 * np.exp(-age_years))
    ranks = np.empty(len(published), dtype=np.int64)
    ranks[np.argsort(-appeal)] = np.arange(len(published))
    return ranks


def create_articles(count, writer, rng, topics, people, now):
    ids = reserve_ids(Article, count)
    topic_weights = zipf_weights(len(topics), exponent=0.8)
    article_topics = rng.choice(len(topics), size=count, p=topic_weights / topic_weights.sum())
    published = publish_times(rng, count, now)
    sections = [topic.section for topic in topics]
    fields = [
        "id", "title", "slug", "summary", "body", "body_text", "section", "medical_reviewer", "last_reviewed",
        "source", "meta_description", "status", "publish_at", "is_featured",
        "created_at", "updated_at", "content_updated_at",
    ]  # fmt: skip

    def rows():
        for article_id, topic_index, seconds in zip(ids.tolist(), article_topics.tolist(), published, strict=True):
            topic = topics[topic_index]
            title, summary, body, body_text = writer.article_text(topic)
            # Mostly the topic's section; sometimes an editor files it elsewhere.
            section = topic.section if rng.random() < 0.9 else sections[rng.integers(len(sections))]
            publish_at = timestamp(seconds)
            reviewer = people[rng.integers(len(people))] if rng.random() < 0.6 else None
            written = publish_at - timedelta(hours=float(rng.uniform(2, 72)))
            yield (
                article_id, title, f"{slugify(title)[:180]}-{article_id}", summary, body, body_text, section.pk,
                reviewer and reviewer.pk, reviewer and publish_at.date(), "", "",
                Article.Status.PUBLISHED.value, publish_at, rng.random() < 0.02, written, written, written,
            )  # fmt: skip

    copy_rows(Article, fields, rows())
    return Articles(
        ids=ids, topics=article_topics, published=published, popularity_rank=popularity_ranks(rng, published, now)
    )


def attach_tags(articles, topics, tags, rng):
    """2-5 tags per article: one to three from its topic, the rest popular tags from anywhere."""
    content_type_id = ContentType.objects.get_for_model(Article).pk
    tag_cum = cumulative(zipf_weights(len(tags), exponent=0.7))
    tag_ids = [tag.pk for tag in tags]

    def rows():
        for article_id, topic_index in zip(articles.ids.tolist(), articles.topics.tolist(), strict=True):
            own = [tag.pk for tag in topics[topic_index].tags]
            wanted = rng.integers(2, 6)
            chosen = set(rng.choice(own, size=min(len(own), rng.integers(1, 4)), replace=False).tolist())
            while len(chosen) < wanted:
                chosen.add(tag_ids[np.searchsorted(tag_cum, rng.random())])
            yield from ((article_id, content_type_id, tag_id) for tag_id in sorted(chosen))

    return copy_rows(TaggedItem, ["object_id", "content_type", "tag"], rows())


def add_bylines(articles, people, rng):
    rows = (
        (article_id, people[person].pk, position)
        for article_id in articles.ids.tolist()
        for position, person in enumerate(rng.choice(len(people), size=rng.integers(1, 3), replace=False))
    )
    return copy_rows(Byline, ["article", "person", "position"], rows)


def tag_and_credit(articles, topics, tags, people, rng):
    attach_tags(articles, topics, tags, rng)
    add_bylines(articles, people, rng)


def fill_search_vectors(articles):
    ids = articles.ids.tolist()
    for start in range(0, len(ids), SEARCH_VECTOR_CHUNK):
        Article.refresh_search_vectors(ids[start : start + SEARCH_VECTOR_CHUNK])


# --- Readers ---------------------------------------------------------------------------------


def reader_topics(rng, count, topic_count, articles):
    """One to three topics per reader, in proportion to how much the site publishes on each: an
    array of topic indexes padded with -1, and how many each reader has."""
    per_topic = np.bincount(articles.topics, minlength=topic_count).astype(np.float64)
    weights = per_topic / per_topic.sum()
    numbers = np.minimum(rng.integers(1, 4, count), np.count_nonzero(per_topic))
    chosen = np.full((count, 3), -1, dtype=np.int64)
    for reader, number in enumerate(numbers.tolist()):
        chosen[reader, :number] = rng.choice(topic_count, size=number, replace=False, p=weights)
    return chosen, numbers


def create_readers(count, rng, topics, articles, now):
    """Readers with unusable passwords (they cannot sign in) and a profile each."""
    user_ids = reserve_ids(User, count)
    joined = np.sort(now - 3 * 365 * DAY * rng.random(count)) - 3600  # Ids grow with the join date.
    topic_indexes, topic_numbers = reader_topics(rng, count, len(topics), articles)
    fields = [
        "id", "password", "is_superuser", "first_name", "last_name", "is_staff", "is_active", "date_joined",
        "email", "email_confirmed_at",
    ]  # fmt: skip
    confirmed = rng.random(count) < 0.9
    rows = map(reader_row, user_ids.tolist(), joined, confirmed.tolist())
    copy_rows(User, fields, rows)
    readers = Readers(user_ids=user_ids, joined=joined, topics=topic_indexes, topic_counts=topic_numbers)
    create_profiles(readers, rng, topics)
    return readers


def reader_row(user_id, joined, confirmed):
    password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)  # What make_password(None) makes.
    confirmed_at = timestamp(joined + 600) if confirmed else None
    return (
        user_id,
        password,
        False,
        "",
        "",
        False,
        True,
        timestamp(joined),
        f"reader{user_id}@{EMAIL_DOMAIN}",
        confirmed_at,
    )


def create_profiles(readers, rng, topics):
    """~70% opted in to personalisation; some chose 1-3 sections and 2-6 tags, mostly of their topics."""
    profile_ids = reserve_ids(Profile, len(readers.user_ids))
    situations = [*Profile.Situation.values, "", ""]
    section_ids = sorted({topic.section.pk for topic in topics})
    profiles, profile_sections, profile_tags = [], [], []
    for index, (profile_id, user_id) in enumerate(zip(profile_ids.tolist(), readers.user_ids.tolist(), strict=True)):
        joined = timestamp(readers.joined[index])
        own = readers.topics[index, : readers.topic_counts[index]].tolist()
        personalised = bool(rng.random() < PERSONALISED_SHARE)
        profiles.append((profile_id, user_id, "", situations[rng.integers(len(situations))], personalised, joined))
        if rng.random() < 0.4:
            chosen = {topics[t].section.pk for t in own} | {section_ids[rng.integers(len(section_ids))]}
            profile_sections += [(profile_id, section_id) for section_id in sorted(chosen)[:3]]
        if rng.random() < 0.5:
            liked = [tag.pk for t in own for tag in topics[t].tags]
            chosen = rng.choice(liked, size=min(len(liked), rng.integers(2, 7)), replace=False)
            profile_tags += [(profile_id, tag_id) for tag_id in chosen.tolist()]
    fields = ["id", "user", "display_name", "situation", "personalisation", "created_at", "updated_at"]
    copy_rows(Profile, fields, (row + (row[-1],) for row in profiles))
    copy_rows(Profile.sections.through, ["profile", "section"], profile_sections)
    copy_rows(Profile.tags.through, ["profile", "tag"], profile_tags)


# --- Favorites -------------------------------------------------------------------------------


def saves_per_reader(rng, readers, total, articles):
    """How many articles each reader saved: none for some readers, log-normal for the rest, so a few
    save hundreds and most a handful; never more than MAX_SAVES_SHARE of the articles."""
    cap = max_saves_per_reader(articles)
    saver_index = np.flatnonzero(rng.random(readers) < SAVING_READER_SHARE)
    if total < len(saver_index):  # Fewer saves than savers: only some of them save, one each.
        saver_index = rng.choice(saver_index, size=total, replace=False)
    if len(saver_index) * cap < total:
        raise DoesNotFit(f"{total} favorites do not fit: at most {cap} each for {len(saver_index)} saving readers")
    counts = np.zeros(readers, dtype=np.int64)
    weights = rng.lognormal(0.0, 1.2, len(saver_index))
    counts[saver_index] = np.minimum(cap, 1 + np.floor((total - len(saver_index)) * weights / weights.sum()))
    while (missing := total - int(counts.sum())) > 0:  # Rounding and the cap leave some to hand out.
        room = saver_index[counts[saver_index] < cap]
        counts[rng.choice(room, size=min(missing, len(room)), replace=False)] += 1
    return counts


def max_saves_per_reader(articles):
    return max(1, min(MAX_SAVES, int(MAX_SAVES_SHARE * articles)))


class ArticlePicker:
    """Draws articles for saves: by overall popularity, or by popularity within one topic."""

    def __init__(self, rng, articles):
        self.rng = rng
        self.count = len(articles.ids)
        self.by_rank = np.argsort(articles.popularity_rank)
        self.popular_cum = cumulative(zipf_weights(self.count, exponent=1.0, offset=5.0))
        # Every topic's articles in one array, most popular first within each. Topic t's cumulative
        # weights run from t to t + 1, so one searchsorted call draws for many topics at once.
        self.topic_order = self.by_rank[np.argsort(articles.topics[self.by_rank], kind="stable")]
        topic_of = articles.topics[self.topic_order]
        first = np.searchsorted(topic_of, topic_of, side="left")
        last = np.searchsorted(topic_of, topic_of, side="right") - 1
        running = np.cumsum(zipf_weights(self.count, exponent=0.9, offset=2.0)[np.arange(self.count) - first])
        before = np.where(first > 0, running[first - 1], 0.0)
        self.topic_cum = topic_of + (running - before) / (running[last] - before)

    def popular(self, size):
        return self.by_rank[np.searchsorted(self.popular_cum, self.rng.random(size))]

    def in_topics(self, topics):
        positions = np.searchsorted(self.topic_cum, topics + self.rng.random(len(topics)))
        return self.topic_order[np.minimum(positions, self.count - 1)]

    def uniform(self, size):
        return self.rng.integers(0, self.count, size)


def draw_saves(rng, picker, readers, slot_readers):
    """An article index per save: from one of the reader's topics, or one of the popular ones."""
    topical = rng.random(len(slot_readers)) < TOPICAL_SAVE_SHARE
    who = slot_readers[topical]
    topics = readers.topics[who, (rng.random(len(who)) * readers.topic_counts[who]).astype(np.int64)]
    picks = picker.popular(len(slot_readers))
    picks[topical] = picker.in_topics(topics)
    return picks


def deduplicate(rng, picker, readers, slot_readers, picks):
    """Redraw saves a reader already made until every (reader, article) is unique: first by the same
    skewed draw, then uniformly (heavy savers run out of popular articles), then one by one."""
    for attempt in range(40):
        keys = slot_readers * picker.count + picks
        _, first = np.unique(keys, return_index=True)
        repeated = np.ones(len(keys), dtype=bool)
        repeated[first] = False
        if not repeated.any():
            return picks
        if attempt < 5:
            picks[repeated] = draw_saves(rng, picker, readers, slot_readers[repeated])
        else:
            picks[repeated] = picker.uniform(int(repeated.sum()))
    for slot in np.flatnonzero(repeated):  # Rare: a reader who saved most of the articles.
        taken = set(picks[slot_readers == slot_readers[slot]].tolist())
        picks[slot] = rng.choice(sorted(set(range(picker.count)) - taken))
    return picks


def save_times(rng, articles, readers, slot_readers, picks, now):
    """When each save happened: in the last FAVORITE_WINDOW_DAYS, after publication and after the
    reader joined. An article published since both gets many of its saves in its first weeks."""
    published = articles.published[picks]
    since = np.maximum(readers.joined[slot_readers], now - FAVORITE_WINDOW_DAYS * DAY)
    start = np.maximum(published, since) + 1  # Strictly after publication.
    span = (now - 60) - start
    uniform = rng.random(len(picks))
    decaying = -SAVE_DECAY_DAYS * DAY * np.log1p(-uniform * (1 - np.exp(-span / (SAVE_DECAY_DAYS * DAY))))
    # Some saves come long after publication (evergreen explainers), whatever the article's age.
    soon = (published >= since) & (rng.random(len(picks)) < SAVED_SOON_SHARE)
    return start + np.where(soon, decaying, uniform * span)


def create_favorites(total, rng, articles, readers, now):
    counts = saves_per_reader(rng, len(readers.user_ids), total, len(articles.ids))
    slot_readers = np.repeat(np.arange(len(readers.user_ids)), counts)
    picker = ArticlePicker(rng, articles)
    picks = deduplicate(rng, picker, readers, slot_readers, draw_saves(rng, picker, readers, slot_readers))
    created = save_times(rng, articles, readers, slot_readers, picks, now)
    order = np.argsort(created, kind="stable")  # Rows in the order a live site would have inserted them.
    times = np.datetime_as_string((created[order] * 1e6).astype("datetime64[us]"), unit="us", timezone="UTC")
    user_ids = readers.user_ids[slot_readers[order]].tolist()
    rows = zip(user_ids, articles.ids[picks[order]].tolist(), times.tolist(), strict=True)
    return copy_rows(Favorite, ["user", "article", "created_at"], rows)


# --- The whole run ---------------------------------------------------------------------------


def vacuum_analyze():
    """Fresh statistics and visibility maps, as autovacuum would leave them on a live site."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


class Phases:
    """Runs the phases one by one, reporting how long each took as it ends."""

    def __init__(self, report):
        self.report = report
        self.seconds = {}

    def run(self, name, function, *args):
        started = time.perf_counter()
        result = function(*args)
        self.seconds[name] = round(time.perf_counter() - started, 1)
        self.report(f"{name}: {self.seconds[name]} s")
        return result


def generate(*, articles, readers, favorites, seed=42, report=print):
    """Generate the data in the current database and rebuild what recommendations precompute.
    Returns the seconds each phase took, by phase name."""
    if favorites > readers * max_saves_per_reader(articles):
        raise DoesNotFit(
            f"{favorites} favorites cannot be unique per reader among {readers} readers and {articles} articles"
        )
    rng = np.random.default_rng(seed)
    now = time.time()
    phases = Phases(report)
    with transaction.atomic():  # All or nothing: a failed run leaves no half-made site behind.
        writer, topics, tags, people = phases.run("sections, tags, people", prepare_catalogue, rng)
        made = phases.run("articles", create_articles, articles, writer, rng, topics, people, now)
        phases.run("article tags, bylines", tag_and_credit, made, topics, tags, people, rng)
        readers_made = phases.run("readers, profiles", create_readers, readers, rng, topics, made, now)
        phases.run("favorites", create_favorites, favorites, rng, made, readers_made, now)
        phases.run("search vectors", fill_search_vectors, made)
        phases.run("rendered bodies", Article.objects.fill_rendered_bodies)
        phases.run("content neighbours", rebuild_content_neighbours)
        phases.run("popularity", rebuild_popularity)
        phases.run("suggestions", rebuild_suggestions)
    if connection.in_atomic_block:
        report("VACUUM ANALYZE skipped: the caller holds a transaction open, and VACUUM cannot run in one")
    else:
        phases.run("VACUUM ANALYZE", vacuum_analyze)
    phases.seconds["total"] = round(sum(phases.seconds.values()), 1)
    return phases.seconds
