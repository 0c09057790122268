"""Content neighbours: which articles read alike, by TF-IDF over their words, topics and section."""

from collections import defaultdict

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from sklearn.feature_extraction.text import TfidfVectorizer
from taggit.models import TaggedItem

from articles.models import Article

from .models import ContentNeighbour

NEIGHBOURS_PER_ARTICLE = 20
MIN_SIMILARITY = 0.05
CHUNK = 500


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


def nearest_neighbours(documents, *, per_article=NEIGHBOURS_PER_ARTICLE, min_similarity=MIN_SIMILARITY):
    """(row, neighbour row, cosine similarity) for each document's most similar others."""
    if len(documents) < 2:
        return []
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1 if len(documents) < 50 else 2, max_df=0.6, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:
        # No word is left to compare articles by (no text, only stop words, or only words every article shares):
        # there are no content neighbours, and what is rebuilt after them must not be lost.
        return []
    pairs = []
    keep = min(per_article, len(documents) - 1)
    for start in range(0, matrix.shape[0], CHUNK):
        similarities = (matrix[start : start + CHUNK] @ matrix.T).toarray()
        for offset, row in enumerate(similarities):
            row[start + offset] = 0.0
            best = np.argpartition(-row, keep - 1)[:keep]
            pairs.extend(
                (start + offset, int(other), float(row[other])) for other in best if row[other] >= min_similarity
            )
    return pairs


def rebuild_content_neighbours():
    ids, documents = article_documents()
    neighbours = [
        ContentNeighbour(article_id=ids[row], neighbour_id=ids[other], similarity=round(similarity, 4))
        for row, other, similarity in nearest_neighbours(documents)
    ]
    with transaction.atomic():
        ContentNeighbour.objects.all().delete()
        ContentNeighbour.objects.bulk_create(neighbours, batch_size=5000)
    return len(ids), len(neighbours)
