"""Demo promotions: the charity's own campaigns, one for each placement.

Loaded by ``manage.py load_demo_content`` after the sections. Addresses under ``.example`` are
placeholders for pages a real charity would have; the newsletter link is a real page of this site.
"""

from datetime import timedelta

from django.utils import timezone
from taggit.models import Tag

from .models import Promotion

PROMOTIONS = [
    {
        "headline": "The month's research news, in one email",
        "text": "A short, plain-language round-up of the studies we covered, sent once a month. "
        "Unsubscribe with one click.",
        "link": "/accounts/newsletter/",
        "call_to_action": "Sign up for the newsletter",
        "placement": Promotion.Placement.HOME,
        "weight": 1,
        "runs_for_days": None,
        "target_sections": [],
        "target_tags": [],
    },
    {
        "headline": "Questions about taking part in a trial?",
        "text": "Join our online evening with a research nurse and two women who took part in trials: "
        "how trials are run, what is asked of you, and what to ask before you say yes.",
        "link": "https://events.newsroom.example/clinical-trials-evening/",
        "call_to_action": "Book a free place",
        "placement": Promotion.Placement.ARTICLE_SIDEBAR,
        "weight": 2,
        "runs_for_days": 45,
        "target_sections": ["research-news"],
        "target_tags": ["clinical trials"],
    },
    {
        "headline": "Worried about a side effect? Talk it through",
        "text": "Our specialist nurses answer calls on weekdays from 9 to 5. They can help you work out "
        "what to ask your care team.",
        "link": "https://support.newsroom.example/helpline/",
        "call_to_action": "Call our nurses' helpline",
        "placement": Promotion.Placement.BELOW_ARTICLE,
        "weight": 1,
        "runs_for_days": None,
        "target_sections": [],
        "target_tags": [],
    },
]


def load_demo_promotions(sections):
    """Create or update the demo promotions, keyed by headline. Their dates are set only when created,
    so loading again does not restart a campaign. `sections` maps slugs to the loaded sections."""
    created = 0
    for data in PROMOTIONS:
        fields = {key: data[key] for key in ("text", "link", "call_to_action", "placement", "weight")}
        promotion = Promotion.objects.filter(headline=data["headline"]).first()
        if promotion is None:
            starts_at = timezone.now() - timedelta(days=1)
            ends_at = starts_at + timedelta(days=data["runs_for_days"]) if data["runs_for_days"] else None
            promotion = Promotion.objects.create(
                headline=data["headline"], starts_at=starts_at, ends_at=ends_at, **fields
            )
            created += 1
        else:
            Promotion.objects.filter(pk=promotion.pk).update(**fields)
        promotion.target_sections.set([sections[slug] for slug in data["target_sections"]])
        promotion.target_tags.set([Tag.objects.get_or_create(name=name)[0] for name in data["target_tags"]])
    return created
