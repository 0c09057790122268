"""Synthetic articles and reading histories with hidden tastes, for `manage.py evaluate_recommendations`.

The hidden-taste model:

- There are 25 topics, each with its own vocabulary of 60 generated words and a generated name;
  topics are grouped five by five into five sections.
- Each article belongs to one topic, or to two (a main one and a second one). Its title and text are
  drawn mostly (75%) from its topics' vocabularies and otherwise from 400 common words; its tags
  are its topics' names and its section is its main topic's section. It has a hidden appeal
  (log-normal, sigma 0.5): a mild popularity that every reader feels alike. Articles are published
  over the 120 days before the 180-day activity period and during it.
- Each reader prefers 2 to 4 topics, with Dirichlet weights, plus a little interest (2%) in every
  topic. A reader is active over a window starting at a random day of the 180 days and lasting
  an exponential number of days (mean 45), and opens a geometric number of distinct articles
  in it (mean 10), at uniformly random moments.
- At each of those moments, the reader opens an article already published and not opened before,
  chosen with probability proportional to (taste for the article's topics) × (appeal) ×
  (recency: 0.5 ** (age in days / 30) + 0.05). The first event on an article is a view;
  a like, a bookmark and a comment follow with probabilities 0.3, 0.15 and 0.1, minutes to days later.

What the files look like, to exercise the evaluation's input handling: article ids are like
"art-00042" and reader ids like "reader-00042"; times are ISO 8601 (with "Z" or an offset) or Unix
seconds, mixed; 3% of articles have no text, 5% no section and 5% no publication time;
0.3% of interactions name an article that does not exist.

The same seed always writes the same files.
"""

import csv
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

TOPICS = 25
TOPICS_PER_SECTION = 5
SECTION_NAMES = ["Research news", "Treatment", "Living well", "Diagnosis", "Prevention and risk"]
TOPIC_WORDS = 60
COMMON_WORDS = 400
TOPIC_WORD_SHARE = 0.75
SECOND_TOPIC_SHARE = 0.5  # of articles
APPEAL_SIGMA = 0.5
ACTIVITY_DAYS = 180
BACK_CATALOGUE_DAYS = 120
MEAN_ACTIVE_DAYS = 45
MEAN_ARTICLES = 10
BACKGROUND_INTEREST = 0.02
RECENCY_HALF_LIFE_DAYS = 30
RECENCY_FLOOR = 0.05
FOLLOW_UP_EVENTS = {"like": 0.3, "bookmark": 0.15, "comment": 0.1}
EMPTY_TEXT_SHARE = 0.03
EMPTY_SECTION_SHARE = 0.05
EMPTY_PUBLISHED_SHARE = 0.05
UNKNOWN_ARTICLE_SHARE = 0.003
START = datetime(2025, 1, 6, tzinfo=UTC)
OFFSET_ZONE = timezone(timedelta(hours=2))  # some ISO times carry an offset
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["th" + v for v in "aeiou"]


def generate(out_dir, *, articles=2000, users=5000, seed=42):
    """Write out_dir/articles.csv and out_dir/interactions.csv; return the number of rows in each."""
    rng = np.random.default_rng(seed)
    vocabulary = invent_words(rng, TOPICS * TOPIC_WORDS + COMMON_WORDS + TOPICS)
    topic_names = vocabulary[-TOPICS:]
    catalogue = make_articles(rng, articles)
    interactions = make_interactions(rng, catalogue, users)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_articles(out_dir / "articles.csv", rng, catalogue, vocabulary, topic_names)
    write_interactions(out_dir / "interactions.csv", rng, interactions)
    return len(catalogue["published"]), len(interactions)


def invent_words(rng, count):
    """Distinct pronounceable made-up words, two to four syllables long."""
    words, seen = [], set()
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES, size=rng.integers(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_articles(rng, count):
    """The hidden truth about each article: topics (weights per topic), appeal and publication time."""
    main = rng.integers(0, TOPICS, size=count)
    second = np.where(rng.random(count) < SECOND_TOPIC_SHARE, rng.integers(0, TOPICS, size=count), main)
    topics = np.zeros((count, TOPICS))
    topics[np.arange(count), main] += 0.7
    topics[np.arange(count), second] += 0.3
    published = rng.uniform(-BACK_CATALOGUE_DAYS, ACTIVITY_DAYS, size=count)
    return {
        "main": main,
        "second": second,
        "topics": topics,
        "appeal": rng.lognormal(0.0, APPEAL_SIGMA, size=count),
        "published": published,  # days from START
    }


def make_interactions(rng, catalogue, users):
    """(reader number, article number or -1 for an unknown id, days from START, event), in time order."""
    events = []
    for reader in range(users):
        taste = reader_taste(rng)
        base = (catalogue["topics"] @ taste) * catalogue["appeal"]
        for day, article in reading_history(rng, base, catalogue["published"]):
            events.extend((reader, article, moment, event) for moment, event in events_on_article(rng, day))
    events.sort(key=lambda item: (item[2], item[0]))
    unknown = rng.random(len(events)) < UNKNOWN_ARTICLE_SHARE
    return [
        (reader, -1 if unknown[i] else article, day, event) for i, (reader, article, day, event) in enumerate(events)
    ]


def reader_taste(rng):
    """Weights over topics: 2 to 4 favourite topics and a little interest in all of them."""
    taste = np.full(TOPICS, BACKGROUND_INTEREST)
    favourites = rng.choice(TOPICS, size=rng.integers(2, 5), replace=False)
    taste[favourites] += rng.dirichlet(np.ones(len(favourites)))
    return taste


def reading_history(rng, base, published):
    """(day, article) for each distinct article the reader opens, in time order."""
    start = rng.uniform(0, ACTIVITY_DAYS)
    end = min(ACTIVITY_DAYS, start + rng.exponential(MEAN_ACTIVE_DAYS))
    days = np.sort(rng.uniform(start, end, size=rng.geometric(1 / MEAN_ARTICLES)))
    opened = np.zeros(len(base), dtype=bool)
    history = []
    for day in days:
        age = day - published
        weights = np.where((age >= 0) & ~opened, base * (0.5 ** (age / RECENCY_HALF_LIFE_DAYS) + RECENCY_FLOOR), 0.0)
        total = weights.sum()
        if total <= 0:
            continue
        article = int(np.searchsorted(np.cumsum(weights), rng.random() * total, side="right"))
        opened[article] = True
        history.append((day, article))
    return history


def events_on_article(rng, day):
    """A view, and sometimes a like, bookmark or comment after it."""
    events = [(day, "view")]
    for event, probability in FOLLOW_UP_EVENTS.items():
        if rng.random() < probability:
            events.append((day + rng.exponential(0.5), event))
    return events


def write_articles(path, rng, catalogue, vocabulary, topic_names):
    common = vocabulary[TOPICS * TOPIC_WORDS : TOPICS * TOPIC_WORDS + COMMON_WORDS]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "title", "text", "tags", "section", "published_at"])
        for number, (main, second) in enumerate(zip(catalogue["main"], catalogue["second"], strict=True)):
            topics = [main] if main == second else [main, second]
            title = sentence(rng, rng.integers(4, 9), topics, vocabulary, common)
            sentences = 0 if rng.random() < EMPTY_TEXT_SHARE else rng.integers(3, 12)
            text = " ".join(
                sentence(rng, rng.integers(6, 16), topics, vocabulary, common) + "." for _ in range(sentences)
            )
            section = "" if rng.random() < EMPTY_SECTION_SHARE else SECTION_NAMES[main // TOPICS_PER_SECTION]
            published = "" if rng.random() < EMPTY_PUBLISHED_SHARE else timestamp(rng, catalogue["published"][number])
            tags = "|".join(topic_names[topic] for topic in topics)
            writer.writerow([article_id(number), title, text, tags, section, published])


def sentence(rng, size, topics, vocabulary, common):
    """`size` words for an article, capitalised: mostly from its topics' vocabularies (the main
    topic's twice as often as the second's), otherwise common words."""
    chosen = []
    for _ in range(size):
        if rng.random() < TOPIC_WORD_SHARE:
            topic = topics[0] if len(topics) == 1 or rng.random() < 2 / 3 else topics[1]
            chosen.append(vocabulary[topic * TOPIC_WORDS + rng.integers(TOPIC_WORDS)])
        else:
            chosen.append(common[rng.integers(COMMON_WORDS)])
    return " ".join(chosen).capitalize()


def write_interactions(path, rng, interactions):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["user_id", "article_id", "timestamp", "event"])
        for reader, article, day, event in interactions:
            name = f"art-missing-{rng.integers(10**5):05d}" if article < 0 else article_id(article)
            writer.writerow([f"reader-{reader:05d}", name, timestamp(rng, day), event])


def article_id(number):
    return f"art-{number:05d}"


def timestamp(rng, day):
    """A moment `day` days from START as Unix seconds, ISO 8601 in UTC, or ISO 8601 with an offset."""
    moment = START + timedelta(days=float(day))
    style = rng.integers(3)
    if style == 0:
        return str(int(moment.timestamp()))
    if style == 1:
        return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(OFFSET_ZONE).replace(microsecond=0).isoformat()
