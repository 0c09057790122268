"""Issue 14: every text and background colour pair of site.css meets WCAG AA contrast, in the light scheme and in
the dark one (prefers-color-scheme: dark), read from the stylesheet's own custom properties."""

import re

import pytest
from django.contrib.staticfiles import finders

DARK = "@media (prefers-color-scheme: dark)"

# (foreground, background, minimum): 4.5:1 for text, 3:1 for the focus ring and borders that show a control.
PAIRS = [
    # Text on the page, on boxes (tint) and on inputs and secondary buttons (surface)
    *(
        (text, ground, 4.5)
        for text in ("ink", "muted", "brand", "brand-strong")
        for ground in ("paper", "tint", "surface")
    ),
    ("danger", "paper", 4.5),
    ("danger", "tint", 4.5),
    # Buttons: their label on their fill, at rest and on hover
    ("on-brand", "brand", 4.5),
    ("on-brand", "brand-strong", 4.5),
    ("on-brand", "danger", 4.5),
    ("on-brand", "danger-strong", 4.5),
    # Badges, the preview banner, search matches
    ("badge-ink", "badge-bg", 4.5),
    ("ink", "quiet-bg", 4.5),
    ("ink", "highlight", 4.5),
    # The footer, tooltips and the skip link
    ("inverse-ink", "inverse-bg", 4.5),
    ("inverse-link", "inverse-bg", 4.5),
    # The focus ring (the footer's is inverse-link), input borders, the preview banner's rule
    *(("focus", ground, 3) for ground in ("paper", "tint", "surface")),
    ("field-border", "paper", 3),
    ("field-border", "surface", 3),
    ("badge-line", "badge-bg", 3),
]


def palettes():
    css = finders.find("css/site.css")
    with open(css, encoding="utf-8") as stylesheet:
        text = stylesheet.read()
    dark_start = text.index(DARK)
    dark_end = text.index("\n}\n", dark_start)

    def colours(part):
        return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", part))

    light = colours(text[:dark_start])
    return {"light": light, "dark": {**light, **colours(text[dark_start:dark_end])}}


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[index : index + 2], 16)) for index in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_dark_scheme_sets_every_colour_of_its_own():
    light, dark = palettes()["light"], palettes()["dark"]
    overridden = {name for name in dark if dark[name] != light[name]}

    assert overridden == set(light), f"Not set for the dark scheme: {sorted(set(light) - overridden)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS, ids=[f"{f} on {b}" for f, b, _ in PAIRS])
def test_colour_pairs_meet_wcag_aa(scheme, foreground, background, minimum):
    colours = palettes()[scheme]

    ratio = contrast(colours[foreground], colours[background])

    assert ratio >= minimum, f"{foreground} on {background} in the {scheme} scheme: {ratio:.2f}:1"
