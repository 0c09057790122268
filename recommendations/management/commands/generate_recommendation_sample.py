from django.core.management.base import BaseCommand, CommandError

from recommendations import sample_data


class Command(BaseCommand):
    help = (
        "Write DIR/articles.csv and DIR/interactions.csv: synthetic articles and reading histories with hidden "
        "tastes, for evaluate_recommendations. 25 topics, each with its own made-up vocabulary and grouped "
        "into 5 sections; each article has 1-2 topics (text mostly from their words, tags = their names) and a "
        "mild appeal; each reader prefers 2-4 topics and, over 180 days, opens already-published articles with "
        "probability proportional to taste x appeal x recency, with views, likes, bookmarks and comments. "
        "Some articles lack text, a section or a publication time; a few interactions name unknown articles. "
        "Deterministic for a seed. See recommendations/sample_data.py for the whole model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR", help="directory to write the two CSV files to")
        parser.add_argument("--articles", type=int, default=2000, help="number of articles (default 2000)")
        parser.add_argument("--users", type=int, default=5000, help="number of readers (default 5000)")
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")

    def handle(self, *args, out, articles, users, seed, **options):
        if articles < 1 or users < 1:
            raise CommandError("--articles and --users must be at least 1.")
        written_articles, interactions = sample_data.generate(out, articles=articles, users=users, seed=seed)
        self.stdout.write(f"Wrote {written_articles} articles and {interactions} interactions to {out}.")
