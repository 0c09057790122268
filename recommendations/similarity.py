"""Content neighbours: which articles read alike, by TF-IDF over their words, topics and section.

Comparing every article with every other takes a minute at 20,000 articles, so an hourly rebuild
compares only the articles whose text changed (or that are new) with all the others, and fits them into
the others' lists; once a day, or when more than a tenth of the articles changed, every article is
compared afresh (the words' weights drift as articles come and go)."""

import hashlib
from collections import defaultdict
from datetime import timedelta

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer
from taggit.models import TaggedItem

from articles.models import Article

from .models import ContentNeighbour, IndexedDocument

NEIGHBOURS_PER_ARTICLE = 20
MIN_SIMILARITY = 0.05
CHUNK = 500
COMPARE_AFRESH_EVERY = timedelta(hours=24)
COMPARE_AFRESH_SHARE = 0.1  # of the articles changed since the last rebuild


def article_documents():
    """One text per published article (scheduled ones too, so they are ready when they appear).
    Title and topics are repeated so that they weigh more than the body's words."""
    articles = list(
        Article.objects.published().order_by("pk").values_list("pk", "title", "summary", "body_text", "section__name")
    )
    tags = defaultdict(list)
    for object_id, name in TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=[row[0] for row in articles]
    ).values_list("object_id", "tag__name"):
        tags[object_id].append(name.replace(" ", "_"))
    ids = [row[0] for row in articles]
    documents = [
        " ".join([title, title, summary, body_text, *tags[pk], *tags[pk], *tags[pk], section.replace(" ", "_")])
        for pk, title, summary, body_text, section in articles
    ]
    return ids, documents


def tfidf(documents):
    """The documents' TF-IDF matrix (one row each), or None when no word is left to compare them by (no text,
    only stop words, or only words every article shares): then there are no content neighbours, and what is
    rebuilt after them must not be lost."""
    if len(documents) < 2:
        return None
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1 if len(documents) < 50 else 2, max_df=0.6, dtype=np.float32
    )
    try:
        return vectorizer.fit_transform(documents)
    except ValueError:
        return None


def similarities(matrix, rows):
    """(row, that row's cosine similarity with every document) for each of `rows`, a chunk at a time."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        for row, values in zip(chunk, (matrix[chunk] @ matrix.T).toarray(), strict=True):
            values[row] = 0.0
            yield row, values


def best(values, keep, min_similarity):
    """The `keep` highest of `values` (index → similarity) that reach `min_similarity`, as (index, similarity)."""
    top = np.argpartition(-values, keep - 1)[:keep]
    return [(int(other), float(values[other])) for other in top if values[other] >= min_similarity]


def nearest_neighbours(documents, *, per_article=NEIGHBOURS_PER_ARTICLE, min_similarity=MIN_SIMILARITY):
    """(row, neighbour row, cosine similarity) for each document's most similar others."""
    matrix = tfidf(documents)
    if matrix is None:
        return []
    keep = min(per_article, len(documents) - 1)
    return [
        (row, other, similarity)
        for row, values in similarities(matrix, list(range(matrix.shape[0])))
        for other, similarity in best(values, keep, min_similarity)
    ]


def digest(document):
    return hashlib.sha1(document.encode()).hexdigest()


def rebuild_content_neighbours(*, afresh=False, now=None):
    """Bring the content neighbours up to date with the published articles' text: only the articles whose
    text changed are compared with the others, unless `afresh` or it is time to compare every article
    afresh (see the module). Returns (articles, neighbour pairs stored, articles compared)."""
    now = now or timezone.now()
    ids, documents = article_documents()
    digests = {pk: digest(document) for pk, document in zip(ids, documents, strict=True)}
    indexed = dict(IndexedDocument.objects.values_list("article_id", "digest"))
    last_afresh = IndexedDocument.objects.aggregate(at=Min("indexed_at"))["at"]
    changed = [row for row, pk in enumerate(ids) if indexed.get(pk) != digests[pk]]
    gone = indexed.keys() - digests.keys()
    afresh = (
        afresh
        or not indexed
        or last_afresh <= now - COMPARE_AFRESH_EVERY
        or len(changed) + len(gone) > COMPARE_AFRESH_SHARE * len(ids)
    )
    if afresh:
        pairs = nearest_neighbours(documents)
        lists = defaultdict(list)
        for row, other, similarity in pairs:
            lists[ids[row]].append((ids[other], similarity))
        compared = ids
    elif changed or gone:
        lists, compared = updated_lists(ids, documents, changed, gone)
    else:
        return len(ids), ContentNeighbour.objects.count(), 0
    with transaction.atomic():
        if afresh:
            ContentNeighbour.objects.all().delete()
            IndexedDocument.objects.all().delete()
        else:
            ContentNeighbour.objects.filter(article__in=[*lists, *gone]).delete()
            IndexedDocument.objects.filter(article__in=[*(ids[row] for row in changed), *gone]).delete()
        ContentNeighbour.objects.bulk_create(
            [
                ContentNeighbour(article_id=pk, neighbour_id=other, similarity=round(similarity, 4))
                for pk, neighbours in lists.items()
                for other, similarity in neighbours
            ],
            batch_size=5000,
        )
        IndexedDocument.objects.bulk_create(
            [IndexedDocument(article_id=pk, digest=digests[pk], indexed_at=now) for pk in compared], batch_size=5000
        )
    return len(ids), ContentNeighbour.objects.count(), len(compared)


def updated_lists(ids, documents, changed, gone):
    """The neighbour lists that change when the articles at rows `changed` are compared with every article
    and the articles `gone` are left out: the changed articles' own lists, each list that held one of them,
    and each list one of them now enters (by beating its weakest neighbour, or filling a gap). Returns
    ({article id: [(neighbour id, similarity), ...]}, the changed articles' ids)."""
    matrix = tfidf(documents)
    changed_ids = [ids[row] for row in changed]
    leaving = set(changed_ids) | set(gone)
    keep = min(NEIGHBOURS_PER_ARTICLE, len(ids) - 1)
    kept = defaultdict(list)
    touched = set()
    for article_id, neighbour_id, similarity in ContentNeighbour.objects.values_list(
        "article_id", "neighbour_id", "similarity"
    ):
        if neighbour_id in leaving:
            touched.add(article_id)
        else:
            kept[article_id].append((neighbour_id, similarity))
    # What a newcomer must beat to enter each article's list: its weakest neighbour when the list is full.
    weakest = np.full(len(ids), MIN_SIMILARITY, dtype=np.float32)
    for row, article_id in enumerate(ids):
        neighbours = kept.get(article_id, ())
        if len(neighbours) >= keep:
            weakest[row] = max(MIN_SIMILARITY, min(similarity for _, similarity in neighbours))
    updated = {}
    changed_rows = set(changed)
    for row, values in similarities(matrix, changed) if matrix is not None else ():
        updated[ids[row]] = [(ids[other], similarity) for other, similarity in best(values, keep, MIN_SIMILARITY)]
        for other in np.flatnonzero(values >= weakest):
            if int(other) not in changed_rows:
                kept[ids[other]].append((ids[row], float(values[other])))
                touched.add(ids[other])
    for article_id in touched - updated.keys():
        updated[article_id] = sorted(kept[article_id], key=lambda item: (-item[1], item[0]))[:keep]
    for article_id in changed_ids:
        updated.setdefault(article_id, [])
    return updated, changed_ids
