"""The offline evaluation of recommendations and its sample data generator."""

import csv
import json
import math
import multiprocessing
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from random import Random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Favorite, User
from articles.models import Article, Section
from recommendations import evaluation, tuning
from recommendations.baselines import POPULARITY_WINDOWS, CoReads, Event, FirstRead, RecentPopularity

from .factories import ArticleFactory, FavoriteFactory

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def run_command(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("evaluate_recommendations", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue()


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return str(path)


def eval_schemas():
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'eval\\_%'")
        return [row[0] for row in cursor.fetchall()]


def search_path():
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    call_command("generate_recommendation_sample", out=str(out), articles=300, users=400, seed=7, stdout=StringIO())
    return out


# The generator


def test_generator_writes_the_same_files_for_a_seed(tmp_path):
    for name, seed in [("a", 3), ("b", 3), ("c", 4)]:
        call_command("generate_recommendation_sample", out=str(tmp_path / name), articles=80, users=60, seed=seed)
    for filename in ["articles.csv", "interactions.csv"]:
        assert (tmp_path / "a" / filename).read_bytes() == (tmp_path / "b" / filename).read_bytes()
        assert (tmp_path / "a" / filename).read_bytes() != (tmp_path / "c" / filename).read_bytes()


def test_generated_files_exercise_the_input_handling(sample):
    with open(sample / "articles.csv", newline="") as file:
        articles = list(csv.DictReader(file))
    with open(sample / "interactions.csv", newline="") as file:
        interactions = list(csv.DictReader(file))
    assert len(articles) == 300 and articles[42]["id"] == "art-00042"
    assert {row["event"] for row in interactions} == {"view", "like", "bookmark", "comment"}
    assert any(not row["text"] for row in articles) and any(not row["section"] for row in articles)
    assert any(not row["published_at"] for row in articles)
    assert all(row["tags"] for row in articles)
    assert any(row["timestamp"].isdigit() for row in interactions)
    assert any(row["timestamp"].endswith("Z") for row in interactions)
    assert any(row["article_id"].startswith("art-missing-") for row in interactions)


# Splitting and scoring


def history(*days):
    """One reader's events: article a<n> first opened on day n (weight 1)."""
    return {f"a{day}": [(T0 + timedelta(days=day), 1.0)] for day in days}


def test_the_last_fifth_of_each_readers_articles_is_held_out():
    histories = {"five": history(*range(5)), "fifteen": history(*range(15)), "two": history(0, 1)}
    cases, skipped = evaluation.split_by_time(histories)
    assert skipped == 1
    by_user = {case.user_id: case for case in cases}
    assert by_user["five"].held_out == {"a4"} and by_user["five"].cutoff == T0 + timedelta(days=4)
    assert by_user["fifteen"].held_out == {"a12", "a13", "a14"}
    assert set(by_user["fifteen"].training) == {f"a{day}" for day in range(12)}


def test_seed_weights_count_only_events_before_the_cutoff_and_ties_are_held_out():
    histories = {
        "reader": {
            "a": [(T0, 1.0), (T0 + timedelta(days=1), 2.0), (T0 + timedelta(days=9), 3.0)],
            "b": [(T0 + timedelta(days=2), 1.0)],
            "c": [(T0 + timedelta(days=5), 1.0)],
            "d": [(T0 + timedelta(days=5), 1.0)],
        }
    }
    [case], skipped = evaluation.split_by_time(histories)
    assert skipped == 0
    assert case.cutoff == T0 + timedelta(days=5)
    assert case.training == {"a": 3.0, "b": 1.0}
    assert case.held_out == {"c", "d"}


def test_recall_and_ndcg():
    result = evaluation.MethodResult()
    result.add([1, 2, 3, 4], {2, 9}, k=3, seconds=0.01)
    result.add([5, 6], {7}, k=3, seconds=0.03)
    summary = result.summary(catalogue_size=10)
    ideal = 1 + 1 / math.log2(3)
    assert summary["recall_at_k"] == pytest.approx((1 / 2 + 0) / 2)
    assert summary["ndcg_at_k"] == pytest.approx((1 / math.log2(3)) / ideal / 2)
    assert summary["coverage"] == pytest.approx(5 / 10)
    assert summary["ms_per_user_median"] == pytest.approx(20)


def test_standard_errors_and_the_recall_ceiling():
    result = evaluation.MethodResult()
    result.add([1], {1}, k=1, seconds=0.01)
    result.add([2], {3}, k=1, seconds=0.01)
    assert result.summary(catalogue_size=3)["ndcg_at_k_se"] == pytest.approx(0.5)  # stdev 0.707 over √2 readers

    early, late = T0, T0 + timedelta(days=2)
    cases = [evaluation.Case("ann", T0 + timedelta(days=1), {"a": 1.0}, frozenset({"old", "new"}))]
    assert evaluation.recall_ceiling(cases, {"old": early, "new": late}) == pytest.approx(0.5)


# The baselines, as of each reader's moment


def events_at(*rows):
    """(article index, hours after T0, weight) → events."""
    return [Event((T0 + timedelta(hours=hours)).timestamp(), article, weight) for article, hours, weight in rows]


def popular_at(hours, events, *, articles=4, read=(), k=10):
    popularity = RecentPopularity(events, articles)
    popularity.advance((T0 + timedelta(hours=hours)).timestamp())
    return {name: popularity.top(name, set(read), k) for name in POPULARITY_WINDOWS}


def test_each_window_counts_only_its_own_hours_before_the_moment():
    events = events_at(
        (0, 0, 5),  # two days before the moment: most read of all time and of the week
        (1, 47.5, 3),  # half an hour before
        (3, 46, 1),  # two hours before
        (2, 48.5, 9),  # after the moment: never counted
    )
    top = popular_at(48, events)
    assert top["most_popular"] == [0, 1, 3]
    assert top["popular_1h"] == [1]
    assert top["popular_3h"] == [1, 3]
    assert top["popular_24h"] == [1, 3]
    assert top["popular_7d"] == [0, 1, 3]


def test_equal_counts_go_to_the_lower_index_and_read_articles_are_left_out():
    events = events_at(*[(article, 1, 1.0) for article in (3, 2, 1, 0)])
    assert popular_at(2, events, k=2)["popular_1h"] == [0, 1]
    assert popular_at(2, events, k=2, read=[0])["popular_1h"] == [1, 2]


def test_an_event_after_the_moment_changes_no_baseline():
    events = events_at((0, 0, 1), (1, 1, 2), (2, 20, 1))
    later = [*events, *events_at((3, 24, 50), (2, 24.5, 50))]
    assert popular_at(24, later) == popular_at(24, events)


def first_reads(*rows):
    """(reader, article index, hours after T0) → first reads."""
    return [FirstRead((T0 + timedelta(hours=hours)).timestamp(), reader, article) for reader, article, hours in rows]


def similar_at(hours, reads, reader, *, half_life=None, read=(), k=10):
    co_reads = CoReads(reads, max(read.article for read in reads) + 1, half_life)
    co_reads.advance((T0 + timedelta(hours=hours)).timestamp())
    return co_reads.top(reader, set(read), k)


def test_item_knn_ranks_what_the_same_readers_read():
    """Article 0 was read with 1 by two readers and with 2 by one: a reader of 0 is offered 1, then 2."""
    reads = first_reads(
        ("ann", 0, 0), ("ann", 1, 1), ("bob", 0, 2), ("bob", 1, 3), ("cat", 0, 4), ("cat", 2, 5), ("you", 0, 6)
    )
    assert similar_at(10, reads, "you", read={0}) == [1, 2]
    assert similar_at(10, reads, "you", read={0, 1}) == [2]
    assert similar_at(10, reads, "nobody") == []


def test_recent_item_knn_prefers_a_co_read_of_the_last_hour_to_two_of_last_month():
    month_ago, hour_ago, moment = 0, 30 * 24 - 1, 30 * 24
    reads = first_reads(
        ("ann", 0, month_ago), ("ann", 1, month_ago),
        ("bob", 0, month_ago), ("bob", 1, month_ago),
        ("cat", 0, hour_ago - 0.5), ("cat", 2, hour_ago),
        ("you", 0, hour_ago),
    )  # fmt: skip
    assert similar_at(moment, reads, "you", read={0}) == [1, 2]
    assert similar_at(moment, reads, "you", read={0}, half_life=timedelta(hours=24)) == [2, 1]


def test_recent_item_knn_still_counts_a_co_read_hundreds_of_half_lives_old():
    """600 half-lives apart: the old co-read weighs 2⁻⁶⁰⁰ of the new one, far below it, yet above nothing."""
    later = 600
    reads = first_reads(("ann", 0, 0), ("ann", 1, 1), ("bob", 0, later), ("bob", 2, later + 1), ("you", 0, later + 2))
    assert similar_at(later + 3, reads, "you", read={0}, half_life=timedelta(hours=1)) == [2, 1]


def reference_item_knn(reads, moment, reader, *, half_life_hours=None):
    """item-kNN's scores as defined, counted afresh from the reads before `moment` (articles the reader read
    left out): the check on CoReads' shortcuts."""
    before = sorted((read for read in reads if read.seconds < moment), key=lambda read: read.seconds)
    histories = {}
    for read in before:
        histories.setdefault(read.reader, []).append(read)
    readers = Counter(read.article for read in before)
    together = defaultdict(float)
    for history in histories.values():
        for position, later in enumerate(history):
            weight = 1.0 if half_life_hours is None else 0.5 ** ((moment - later.seconds) / 3600 / half_life_hours)
            for earlier in history[:position]:
                together[earlier.article, later.article] += weight
                together[later.article, earlier.article] += weight
    scores = defaultdict(float)
    mine = [read.article for read in histories.get(reader, [])]
    for article in mine[-10:]:
        for (first, other), weight in together.items():
            if first == article:
                scores[other] += weight / math.sqrt(readers[article] * readers[other])
    return {other: score for other, score in scores.items() if other not in mine}


@pytest.mark.parametrize("half_life", [None, timedelta(hours=24)])
def test_item_knn_moved_forward_matches_item_knn_counted_afresh(half_life):
    random = Random(7)
    readers = [f"reader{number}" for number in range(40)]
    reads = []
    for reader in readers:
        for article in random.sample(range(30), random.randint(1, 14)):
            reads.append(FirstRead((T0 + timedelta(hours=random.uniform(0, 24 * 20))).timestamp(), reader, article))
    co_reads = CoReads(reads, 30, half_life)
    hours = None if half_life is None else half_life.total_seconds() / 3600
    for day in range(1, 21):
        moment = (T0 + timedelta(days=day)).timestamp()
        co_reads.advance(moment)
        for reader in readers[::7]:
            mine = {read.article for read in reads if read.reader == reader and read.seconds < moment}
            expected = reference_item_knn(reads, moment, reader, half_life_hours=hours)
            top = co_reads.top(reader, mine, 10)
            # The same scores in the same order; equal scores may differ in the last bits, summed in another order.
            assert [round(expected[article], 9) for article in top] == sorted(
                (round(score, 9) for score in expected.values()), reverse=True
            )[:10]


def test_the_moment_only_moves_forward():
    popularity = RecentPopularity(events_at((0, 0, 1)), 1)
    popularity.advance((T0 + timedelta(hours=2)).timestamp())
    with pytest.raises(ValueError, match="forward"):
        popularity.advance((T0 + timedelta(hours=1)).timestamp())


def test_popularity_buckets_start_at_multiples_of_the_period():
    moment = datetime(2025, 3, 1, 17, 30, tzinfo=UTC)
    assert evaluation.bucket_start(moment, 24) == datetime(2025, 3, 1, tzinfo=UTC)
    assert evaluation.bucket_start(moment, 6) == datetime(2025, 3, 1, 12, tzinfo=UTC)


# Bad input: clear errors before anything is loaded (no database access is allowed here)


@pytest.fixture
def articles_csv(tmp_path):
    return write_csv(tmp_path / "articles.csv", [["id", "title", "text"], ["a", "A", "Some text"]])


def test_a_missing_column_is_named(tmp_path, articles_csv):
    interactions = write_csv(tmp_path / "interactions.csv", [["user_id", "article_id", "event"], ["u", "a", "view"]])
    with pytest.raises(CommandError, match=r"interactions\.csv: missing required column\(s\) timestamp"):
        run_command("--articles", articles_csv, "--interactions", interactions)


def test_an_unreadable_time_names_file_line_and_column(tmp_path, articles_csv):
    interactions = write_csv(
        tmp_path / "interactions.csv",
        [["user_id", "article_id", "timestamp"], ["u", "a", "1735689600"], ["u", "a", "yesterday"]],
    )
    with pytest.raises(CommandError, match=r"interactions\.csv, line 3, column 'timestamp': cannot read 'yesterday'"):
        run_command("--articles", articles_csv, "--interactions", interactions)


def test_an_unreadable_publication_time_is_reported(tmp_path):
    interactions = write_csv(tmp_path / "interactions.csv", [["user_id", "article_id", "timestamp"]])
    articles = write_csv(tmp_path / "a.csv", [["id", "title", "text", "published_at"], ["a", "A", "x", "3rd May"]])
    with pytest.raises(CommandError, match=r"a\.csv, line 2, column 'published_at': cannot read '3rd May'"):
        run_command("--articles", articles, "--interactions", interactions)


def test_a_short_row_is_reported(tmp_path, articles_csv):
    short = write_csv(tmp_path / "short.csv", [["user_id", "article_id", "timestamp"], ["u", "a"]])
    with pytest.raises(CommandError, match=r"short\.csv, line 2, column 'timestamp': missing"):
        run_command("--articles", articles_csv, "--interactions", short)


@pytest.mark.parametrize(
    "rows",
    [
        [["user_id", "article_id", "timestamp"]],
        [["user_id", "article_id", "timestamp"], ["ann", "a", "2025-01-01"], ["ann", "unknown", "2025-01-02"]],
    ],
    ids=["no rows", "too few known articles"],
)
def test_interactions_with_nothing_to_evaluate_say_so(tmp_path, articles_csv, rows):
    interactions = write_csv(tmp_path / "interactions.csv", rows)
    with pytest.raises(CommandError, match="nothing to evaluate.*at least 3 known articles"):
        run_command("--articles", articles_csv, "--interactions", interactions)


def test_bad_weights_are_refused(tmp_path, articles_csv):
    with pytest.raises(CommandError, match="--weights: cannot read 'like=lots'"):
        run_command("--articles", articles_csv, "--interactions", articles_csv, "--weights", "like=lots")


# Whole runs, in a scratch schema


def tiny_files(tmp_path):
    """Odd ids, an article with no text, section or publication time, and three unknown articles."""
    articles = write_csv(
        tmp_path / "articles.csv",
        [
            ["id", "title", "text", "tags", "section", "published_at"],
            ["news/α-1", "Tamoxifen trial", "Hormone therapy after surgery cut recurrence.", "Hormone therapy|Trials",
             "Research news", "2025-01-01T00:00:00Z"],
            ["B 2", "", "", "hormone THERAPY", "", ""],
            ["c:3", "Exercise and fatigue", "Exercise eased fatigue after treatment.", "Exercise", "Living well",
             "1735689600"],
            ["d-4", "Diet and fatigue", "Diet and exercise after treatment.", "Exercise|Diet", "Living well",
             "2025-01-01"],
            ["e5", "Screening", "Mammogram screening programmes.", "", "Diagnosis", "2025-01-02T00:00:00+01:00"],
        ],
    )  # fmt: skip
    day = 86400
    start = 1736000000
    interactions = write_csv(
        tmp_path / "interactions.csv",
        [
            ["user_id", "article_id", "timestamp", "event"],
            ["ann@example", "B 2", start, "view"],
            ["ann@example", "c:3", start + day, "Like"],
            ["ann@example", "d-4", start + 2 * day, "view"],
            ["ann@example", "zz-missing", start + 2 * day, "view"],
            ["ann@example", "e5", "2025-01-12T10:00:00Z", "bookmark"],
            ["bob", "news/α-1", start + day, "view"],
            ["bob", "c:3", start + 3 * day, "view"],
            ["bob", "42", start + 3 * day, "view"],
            ["bob", "d-4", start + 4 * day, "view"],
            ["carol", "news/α-1", start, "view"],
            ["carol", "c:3", start + day, "view"],
            ["carol", "e5", start + 2 * day, "skip"],  # weight 0: dropped, so carol has too few articles
            ["dave", "news/α-2", start, "view"],
            ["dave", "e5", start, "view"],
        ],
    )
    return articles, interactions


@pytest.mark.django_db(transaction=True)
def test_a_tiny_hand_written_dataset(tmp_path):
    articles, interactions = tiny_files(tmp_path)
    args = ["--articles", articles, "--interactions", interactions, "--weights", "skip=0,like=2", "--k", "3"]
    report = json.loads(run_command(*args, "--json"))
    assert report["dataset"] == {
        "articles": 5,
        "interactions": 14,
        "users": 4,
        "favorites": 10,
        "users_evaluated": 2,
        "users_skipped_too_few": 2,
        "unknown_article_interactions_skipped": 3,
        "recall_ceiling": 1.0,  # both readers' held-out articles were published before their moments
    }
    for method in evaluation.METHODS:
        assert report["methods"][method]["users_evaluated"] == 2
        assert report["methods"][method]["unknown_article_interactions_skipped"] == 3

    table = run_command(*args)
    assert "Recall@3" in table and "NDCG@3" in table and "Coverage" in table
    assert "\nengine " in table and "\nmost_popular " in table


BURST_OFFSET = timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
def test_an_event_after_a_readers_moment_changes_none_of_their_scores(tmp_path):
    """For the engine and every baseline: the same reader, the same score, whatever happened after their
    moment (here a burst of reading of an article they went on to read, which would lift it everywhere)."""
    articles, interactions = tiny_files(tmp_path)
    args = {"log": lambda message: None, "k": 3, "weights": {"skip": 0, "like": 2}, "per_user": True}
    before = evaluation.run(articles, interactions, **args)["per_user"]
    ann_moment = datetime(2025, 1, 12, 10, tzinfo=UTC)  # when she first opened e5, her held-out article
    with open(interactions, "a", newline="", encoding="utf-8") as file:
        for reader in ("zed", "yan", "xia"):
            csv.writer(file).writerow([reader, "e5", int((ann_moment + BURST_OFFSET).timestamp()), "view"])

    after = evaluation.run(articles, interactions, **args)["per_user"]

    assert set(before) == set(evaluation.METHODS)
    for method in evaluation.METHODS:
        assert after[method]["ann@example"] == before[method]["ann@example"], method


@pytest.mark.django_db(transaction=True)
def test_a_log_of_ids_only_is_evaluated(tmp_path):
    """Articles with no title, text, tags or section, as in a public log of ids and timestamps: no content
    neighbours can be found, and the run still gives every method's figures."""
    articles = write_csv(
        tmp_path / "articles.csv", [["id", "title", "text"], *[[f"a{number}", "", ""] for number in range(60)]]
    )
    start = 1736000000
    interactions = write_csv(
        tmp_path / "interactions.csv",
        [
            ["user_id", "article_id", "timestamp"],
            *[
                [f"reader{reader}", f"a{(reader * 7 + step) % 60}", start + reader * 600 + step * 3600]
                for reader in range(30)
                for step in range(6)
            ],
        ],
    )

    report = json.loads(run_command("--articles", articles, "--interactions", interactions, "--json"))

    assert report["dataset"]["articles"] == 60 and report["dataset"]["users_evaluated"] == 30
    for method in evaluation.METHODS:
        assert 0 <= report["methods"][method]["ndcg_at_k"] <= 1


@pytest.mark.django_db(transaction=True)
def test_the_engine_beats_most_popular_without_touching_the_site(sample):
    site_article = ArticleFactory()
    FavoriteFactory(article=site_article)
    content_type_id = ContentType.objects.get_for_model(Article).pk
    before = [model.objects.count() for model in (Article, Section, User, Favorite)]
    path_before = search_path()

    output = run_command(
        "--articles", str(sample / "articles.csv"), "--interactions", str(sample / "interactions.csv"), "--json"
    )

    report = json.loads(output)
    engine, popular = report["methods"]["engine"], report["methods"]["most_popular"]
    for values in (engine, popular):
        assert set(values) >= {"recall_at_k", "ndcg_at_k", "coverage", "ms_per_user_median", "ms_per_user_p95"}
        assert values["users_evaluated"] > 250 and values["unknown_article_interactions_skipped"] > 0
    assert engine["ndcg_at_k"] >= 1.3 * popular["ndcg_at_k"]
    assert engine["ndcg_at_k"] > popular["ndcg_at_k"] + 0.02
    assert engine["recall_at_k"] > popular["recall_at_k"]
    assert engine["coverage"] > popular["coverage"]

    assert [model.objects.count() for model in (Article, Section, User, Favorite)] == before
    assert Article.objects.get().slug == site_article.slug
    assert ContentType.objects.get_for_model(Article).pk == content_type_id
    assert search_path() == path_before
    assert eval_schemas() == []


def backend_of_a_worker(pipe):
    evaluation.forget_inherited_connections()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pipe.send(cursor.fetchone()[0])
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_neither_uses_nor_ends_a_connection_it_inherited_open():
    """As when the parent cannot close a connection before forking (Django keeps it in a context the parent
    is not in, after Playwright ran in the same process): the worker opens its own, and the parent's
    still works after the worker has gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        parents = cursor.fetchone()[0]
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=backend_of_a_worker, args=(sending,))
    worker.start()
    workers = receiving.recv()
    worker.join()

    assert worker.exitcode == 0
    assert workers != parents
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == parents


@pytest.mark.django_db(transaction=True)
def test_workers_side_by_side_give_each_reader_the_scores_one_process_gives(sample):
    """Each worker moves its own popularity snapshot and baselines through its share of the readers; the scores
    come back in the readers' order, and the workers' schemas are dropped."""
    args = {"log": lambda message: None, "per_user": True}
    paths = (sample / "articles.csv", sample / "interactions.csv")

    alone = evaluation.run(*paths, workers=1, **args)
    side_by_side = evaluation.run(*paths, workers=3, **args)

    for method in evaluation.METHODS:
        assert side_by_side["per_user"][method] == pytest.approx(alone["per_user"][method]), method
        assert side_by_side["methods"][method]["coverage"] == alone["methods"][method]["coverage"], method
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'eval_%%'")
        assert cursor.fetchone()[0] == 0


@pytest.fixture
def small_sample(tmp_path):
    out = tmp_path / "small"
    call_command("generate_recommendation_sample", out=str(out), articles=80, users=120, seed=3, stdout=StringIO())
    return out / "articles.csv", out / "interactions.csv"


@pytest.mark.django_db(transaction=True)
def test_tuning_never_reads_the_test_period(small_sample):
    """Reading in the test period, however much, changes nothing the tuning sees or chooses."""
    test_from = tuning.default_test_from(*small_sample)
    args = {"test_from": test_from, "log": lambda message: None, "workers": 1, "readers": 30}
    before = tuning.tune(*small_sample, **args)
    with open(small_sample[1], "a", newline="", encoding="utf-8") as file:
        for reader in range(40):
            csv.writer(file).writerow([f"burst-{reader}", "art-00001", int(test_from.timestamp()) + reader, "view"])
            csv.writer(file).writerow(
                [f"burst-{reader}", "art-00002", int(test_from.timestamp()) + reader + 60, "view"]
            )

    after = tuning.tune(*small_sample, **args)

    assert [trial.ndcg for trial in after[2]] == [trial.ndcg for trial in before[2]]
    assert after[0] == before[0]
    assert len(before[2]) > 10 and before[1] >= before[2][0].ndcg


@pytest.mark.django_db(transaction=True)
def test_the_tuning_command_prints_a_settings_block_and_how_to_score_it(small_sample):
    output = StringIO()

    call_command(
        "tune_recommendations", "--articles", small_sample[0], "--interactions", small_sample[1], "--readers", "20",
        stdout=output, stderr=StringIO(),
    )  # fmt: skip

    text = output.getvalue()
    assert "RECOMMENDATIONS = {'weights': {" in text
    assert "evaluate_recommendations" in text and "--test-from 2025-" in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("command", "value", "message"),
    [
        ("tune_recommendations", "next tuesday", "--test-from: cannot read 'next tuesday' as a time"),
        ("evaluate_recommendations", "2040-01-01", "No reader to evaluate from 2040-01-01"),
    ],
)
def test_a_test_period_that_cannot_be_used_is_explained(small_sample, command, value, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            command, "--articles", small_sample[0], "--interactions", small_sample[1], "--test-from", value,
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
