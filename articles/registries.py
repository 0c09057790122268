"""Clinical trial registry numbers: the formats we check, and the public page each one has."""

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Registry:
    name: str
    looks_like: re.Pattern  # how an id meant for this registry starts, so a typo gets this registry's message
    pattern: re.Pattern
    written_like: str
    url_template: str = ""  # empty when we know no stable public address for a single record

    def url_for(self, registry_id):
        return self.url_template.format(id=quote(registry_id)) if self.url_template else ""


REGISTRIES = (
    Registry(
        "ClinicalTrials.gov",
        re.compile(r"NCT", re.IGNORECASE),
        re.compile(r"NCT\d{8}"),
        "NCT followed by 8 digits, like NCT01234567",
        "https://clinicaltrials.gov/study/{id}",
    ),
    Registry(
        "ISRCTN",
        re.compile(r"ISRCTN", re.IGNORECASE),
        re.compile(r"ISRCTN\d+"),
        "ISRCTN followed by digits, like ISRCTN12345678",
        "https://www.isrctn.com/{id}",
    ),
    Registry(
        "EU CT (CTIS)",
        re.compile(r"\d{4}-\d{6}-\d{2}-"),
        re.compile(r"\d{4}-\d{6}-\d{2}-\d{2}"),
        "year-six digits-two digits-two digits, like 2023-501234-12-00",
        "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={id}",
    ),
    Registry(
        "EudraCT",
        re.compile(r"\d{4}-"),
        re.compile(r"\d{4}-\d{6}-\d{2}"),
        "year-six digits-two digits, like 2015-001234-56 (EU CT numbers add two more digits: 2023-501234-12-00)",
    ),
)
OTHER_REGISTRY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*")


def normalise_registry_id(value):
    """Registry numbers never contain spaces; the prefixes we know are written in capitals."""
    value = "".join((value or "").split())
    if any(registry.looks_like.match(value) for registry in REGISTRIES):
        value = value.upper()
    return value


def registry_for(registry_id):
    """The registry whose format `registry_id` has, or None (another registry, or not checked)."""
    return next((registry for registry in REGISTRIES if registry.pattern.fullmatch(registry_id)), None)


def registry_id_problem(registry_id):
    """What is wrong with a normalised registry id, in words for editors, or '' when it is acceptable."""
    if not registry_id or registry_for(registry_id):
        return ""
    for registry in REGISTRIES:
        if registry.looks_like.match(registry_id):
            return f"This does not match the {registry.name} format: write it as {registry.written_like}."
    if not OTHER_REGISTRY_ID.fullmatch(registry_id):
        return "Use only letters, digits, hyphens, dots and slashes, as the registry writes the number."
    return ""


def registry_url(registry_id):
    """The public page of a registry record, only for formats whose address we are sure of."""
    registry = registry_for(registry_id or "")
    return registry.url_for(registry_id) if registry else ""
