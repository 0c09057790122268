"""Each article's search vector is kept in its row (storage MAIN) instead of the TOAST table.

Search walks the newest articles and checks each one's vector until it has its candidates, then ranks
them by their vectors. At 100,000 articles, fetching a vector from the TOAST table (an index lookup and
two chunks) took three quarters of that walk. The vectors do not compress, so PostgreSQL stored them
whole out of line; in the row they take no more room, but a page holds fewer rows (at 100,000 articles
of about 400 words: 419 MB of rows and 626 MB of TOAST instead of 247 MB and 899 MB). A vector too big
for a page of its own still goes to the TOAST table.

The storage setting applies to rows written afterwards: existing rows move into the row as they are
next saved. Rewriting them all at once takes VACUUM FULL, which locks the table (two minutes at 100,000
articles on a busy 2-core machine), so this migration leaves that to a quiet moment of the operator's
choosing (README, "Search"); it only refreshes the statistics, which takes no lock readers wait for.
"""

from django.db import migrations


def keep_vectors(storage):
    return [
        f"ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE {storage}",
        "VACUUM ANALYZE articles_article",
    ]


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction.

    dependencies = [("articles", "0020_page_cache_table")]

    operations = [migrations.RunSQL(keep_vectors("MAIN"), keep_vectors("EXTENDED"))]
