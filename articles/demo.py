"""Read the demo content from the files editors keep in articles/demo/ (see its README.md).

Plain functions: `load()` reads and checks every file and returns plain data; the `load_demo_content`
command writes it to the database. A file that cannot be read raises DemoContentError naming the file
and the problem, before anything is written.
"""

import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import markdown
from django.utils import timezone

from .models import Article, ResearchFacts
from .sanitise import sanitise_report

DEMO_FOLDER = Path(__file__).resolve().parent / "demo"
FRONT_MATTER_FENCE = "+++"

ARTICLE_FIELDS = {
    "required": {"title", "summary", "section", "authors", "status"},
    "optional": {
        "tags", "reviewer", "source", "featured", "references", "research_facts",
        "published", "published_days_ago", "published_in_days", "reviewed", "reviewed_days_ago",
    },
}  # fmt: skip
PUBLISHED_FIELDS = ("published", "published_days_ago", "published_in_days")
REVIEWED_FIELDS = ("reviewed", "reviewed_days_ago")
# Not yet reviewed nor published: the workflow gives them their dates.
UNDATED_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)
FACTS_FIELDS = {
    "required": {"study_type", "evidence_strength", "what_it_means"},
    "optional": {"phase", "participants", "presented_at", "presented_on", "drugs"},
}


class DemoContentError(ValueError):
    """A demo file that cannot be loaded; the message names the file and says what is wrong."""


class DemoContent(NamedTuple):
    sections: list[dict]
    people: list[dict]
    articles: list[dict]
    glossary: list[dict]


def load(folder=None, today=None):
    """Every section, person, article and glossary term in `folder` (articles/demo/ by default), checked,
    with the articles' relative dates counted from `today`."""
    folder = Path(folder or DEMO_FOLDER)
    today = today or timezone.localdate()
    sections = read_table_file(folder / "sections.toml", "sections", {"slug", "name", "description", "order"})
    people = read_table_file(folder / "people.toml", "people", {"slug", "name", "credentials", "bio"})
    known = {"section": {item["slug"] for item in sections}, "person": {item["slug"] for item in people}}
    articles = [read_article(path, known, today) for path in article_paths(folder)]
    glossary = read_table_file(folder / "glossary.toml", "terms", {"slug", "term", "definition"})
    slugs = {article["slug"] for article in articles}
    for term in glossary:
        term.setdefault("other_names", "")
        if term.setdefault("learn_more", "") and term["learn_more"] not in slugs:
            raise DemoContentError(
                f"{shown(folder / 'glossary.toml')}: the term “{term['slug']}” links to the article "
                f"“{term['learn_more']}”, which has no file in articles/."
            )
    return DemoContent(sections, people, articles, glossary)


def article_paths(folder=None):
    """The article files, in name order (an article's slug is its file name)."""
    return sorted(Path(folder or DEMO_FOLDER).joinpath("articles").glob("*.md"))


def source_files(folder=None):
    """Every file the demo content is made from, sorted: a change to any of them means loading again."""
    folder = Path(folder or DEMO_FOLDER)
    return sorted(path for path in folder.rglob("*") if path.is_file())


def shown(path):
    """The path as an editor would find it, from the repository root when it is inside it."""
    try:
        return str(Path(path).relative_to(DEMO_FOLDER.parent.parent))
    except ValueError:
        return str(path)


def parse_toml(text, path):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DemoContentError(f"{shown(path)}: the TOML cannot be read ({error}).") from None


def read_table_file(path, key, required):
    """The array of tables `[[key]]` in a TOML file, each with the `required` fields."""
    if not path.is_file():
        raise DemoContentError(f"{shown(path)}: the file is missing.")
    items = parse_toml(path.read_text(encoding="utf-8"), path).get(key)
    if not isinstance(items, list) or not items:
        raise DemoContentError(f"{shown(path)}: expected one or more [[{key}]] tables.")
    for number, item in enumerate(items, start=1):
        if missing := sorted(required - item.keys()):
            raise DemoContentError(f"{shown(path)}: [[{key}]] number {number} lacks {', '.join(missing)}.")
    return items


def split_front_matter(text, path):
    """The TOML between the opening and closing `+++` lines, and the Markdown body after them."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise DemoContentError(f"{shown(path)}: no front matter (the file must begin with a +++ line).")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "".join(lines[1:number]), "".join(lines[number + 1 :])
    raise DemoContentError(f"{shown(path)}: the front matter has no closing {FRONT_MATTER_FENCE} line.")


def markdown_to_html(text):
    """The body as HTML: plain Markdown, with any HTML written in it passed through."""
    return markdown.markdown(text, output_format="html")


def read_article(path, known, today):
    front, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    data = parse_toml(front, path)

    def fail(problem):
        raise DemoContentError(f"{shown(path)}: {problem}")

    check_fields(data, ARTICLE_FIELDS, fail, "the front matter")
    for field in ("authors", "tags"):
        if not isinstance(data.get(field, []), list):
            fail(f'{field} must be a list, e.g. {field} = ["{data[field]}"].')
    if data["section"] not in known["section"]:
        fail(f"unknown section “{data['section']}” (sections.toml has {', '.join(sorted(known['section']))}).")
    for person in [*data["authors"], *filter(None, [data.get("reviewer")])]:
        if person not in known["person"]:
            fail(f"unknown person “{person}” (people.toml has {', '.join(sorted(known['person']))}).")
    if data["status"] not in Article.Status.values:
        fail(f"unknown status “{data['status']}” (one of {', '.join(Article.Status.values)}).")
    sanitised = sanitise_report(markdown_to_html(body))
    if sanitised.removals:
        fail(f"the body has markup readers would not see: {'; '.join(sanitised.removals)}.")
    published_on, reviewed_on = article_dates(data, today, fail)
    references = data.get("references", [])
    if any("citation" not in reference for reference in references):
        fail("every [[references]] table needs a citation.")
    return {
        "slug": path.stem,
        "title": data["title"],
        "summary": data["summary"],
        "body": sanitised.html,
        "section": data["section"],
        "tags": data.get("tags", []),
        "authors": data["authors"],
        "reviewer": data.get("reviewer"),
        "source": data.get("source", ""),
        "status": data["status"],
        "featured": data.get("featured", False),
        "published_on": published_on,
        "reviewed_on": reviewed_on,
        "references": [{"citation": item["citation"], "url": item.get("url", "")} for item in references],
        "research_facts": research_facts(data["research_facts"], fail) if "research_facts" in data else None,
    }


def check_fields(data, fields, fail, where):
    if missing := sorted(fields["required"] - data.keys()):
        fail(f"{where} lacks {', '.join(missing)}.")
    if unknown := sorted(data.keys() - fields["required"] - fields["optional"]):
        fail(f"{where} has unknown fields {', '.join(unknown)}.")


def article_dates(data, today, fail):
    """The publication and last-review dates: absolute TOML dates, or counted in days from `today`
    (relative dates keep a few articles current and a scheduled one in the future)."""
    given = [field for field in PUBLISHED_FIELDS if field in data]
    reviewed = [field for field in REVIEWED_FIELDS if field in data]
    for fields in (given, reviewed):
        if len(fields) > 1:
            fail(f"give one of {', '.join(fields)}, not several.")
    if data["status"] == Article.Status.PUBLISHED and not given:
        fail(f"a published article needs a date: one of {', '.join(PUBLISHED_FIELDS)}.")
    if data["status"] in UNDATED_STATUSES and (given or reviewed):
        fail(f"an article that is “{data['status']}” has no dates yet: publishing it dates it.")
    if reviewed and not data.get("reviewer"):
        fail("a review date needs a reviewer.")
    published_on = date_field(data, given[0], today, fail) if given else None
    reviewed_on = date_field(data, reviewed[0], today, fail) if reviewed else None
    if reviewed_on and reviewed_on > today:
        fail("the review date cannot be in the future.")
    return published_on, reviewed_on


def date_field(data, field, today, fail):
    value = data[field]
    if field.endswith(("_days_ago", "_in_days")):
        if not isinstance(value, int) or value < 0:
            fail(f"{field} must be a whole number of days, 0 or more.")
        return today + timedelta(days=value) if field.endswith("_in_days") else today - timedelta(days=value)
    if not isinstance(value, date) or hasattr(value, "hour"):
        fail(f"{field} must be a date such as 2024-05-14 (no quotes).")
    return value


def research_facts(data, fail):
    check_fields(data, FACTS_FIELDS, fail, "[research_facts]")
    if data["study_type"] not in ResearchFacts.StudyType.values:
        fail(f"unknown study_type “{data['study_type']}” (one of {', '.join(ResearchFacts.StudyType.values)}).")
    presented_on = data.get("presented_on")
    if presented_on is not None and (not isinstance(presented_on, date) or hasattr(presented_on, "hour")):
        fail("presented_on must be a date such as 2024-05-14 (no quotes).")
    drugs = data.get("drugs", [])
    if any("generic" not in drug for drug in drugs):
        fail("every [[research_facts.drugs]] table needs a generic name.")
    return {
        "study_type": data["study_type"],
        "phase": data.get("phase", ResearchFacts.Phase.NOT_APPLICABLE),
        "participants": data.get("participants"),
        "presented_at": data.get("presented_at", ""),
        "presented_on": presented_on,
        "evidence_strength": data["evidence_strength"],
        "what_it_means": data["what_it_means"],
        "drugs": [(drug["generic"], drug.get("brands", "")) for drug in drugs],
    }
