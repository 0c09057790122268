from django.db import migrations

# The same values, from functions PostgreSQL can inline into the queries that call them. extract() on a
# timestamptz is only stable (some of its fields depend on the time zone), so an immutable function calling it
# was run as a function call for every row, about 13 µs each: a third of the candidate query's time went on
# carrying co-saves forward. A difference of two timestamps is the same in every time zone, and date_part()
# gives a float at once instead of a numeric.
LIFT = """
CREATE OR REPLACE FUNCTION recommendations_lift(moment timestamptz, half_life_hours float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ln(2) * date_part('epoch', moment - timestamptz '1970-01-01 00:00:00+00') / 3600 / half_life_hours $$
"""
DECAY = """
CREATE OR REPLACE FUNCTION recommendations_decay(age interval, half_life_hours float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT power(0.5, least(greatest(date_part('epoch', age), 0) / 3600 / half_life_hours, 1000)) $$
"""
PREVIOUS_LIFT = """
CREATE OR REPLACE FUNCTION recommendations_lift(moment timestamptz, half_life_hours float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ln(2) * extract(epoch FROM moment)::float8 / 3600 / half_life_hours $$
"""
PREVIOUS_DECAY = """
CREATE OR REPLACE FUNCTION recommendations_decay(age interval, half_life_hours float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT power(0.5, least(greatest(extract(epoch FROM age)::float8, 0) / 3600 / half_life_hours, 1000)) $$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0012_cosave_article_unindexed"),
    ]

    operations = [
        migrations.RunSQL(LIFT, PREVIOUS_LIFT),
        migrations.RunSQL(DECAY, PREVIOUS_DECAY),
    ]
