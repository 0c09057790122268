"""Editorial illustrations for the demo articles, drawn here with Pillow: no downloads, no copied artwork.

Each section has its own calm palette and its own motifs (a microscope, a flask or a DNA helix over cells
for research news, a calendar or a drip for treatment, …). A section's articles take its motifs in turn;
an article's slug seeds the small choices — where the motif stands, which colour goes where, which
background pattern — so cards side by side differ while a section keeps its look. An `Illustration` has
the alt text saying what is drawn, and draws its PNG only when asked.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from PIL import Image, ImageColor, ImageDraw

SIZE = (1200, 630)  # what link previews use; the image library makes the smaller copies
SCALE = 2  # drawn at twice the size and reduced, for smooth edges
COLOURS = 48  # flat shapes need few colours, and a small palette keeps the PNG small
WHITE = (255, 253, 251)


@dataclass(frozen=True)
class Palette:
    name: str  # the colours as the alt text names them
    paper: tuple  # the background
    soft: tuple  # large quiet shapes behind the motif
    light: tuple
    main: tuple
    deep: tuple
    accent: tuple

    @classmethod
    def of(cls, name, *colours):
        return cls(name, *(ImageColor.getrgb(colour) for colour in colours))


# Plum (the site's brand colour) for research news; calm neighbours for the other sections.
PALETTES = {
    "research-news": Palette.of("plum and rose", "#f8eef3", "#f1dae5", "#e6b8cc", "#c8648f", "#8a1f4f", "#5e1637"),
    "treatment": Palette.of("teal and plum", "#eaf4f2", "#d3e9e5", "#a9d3cc", "#4f9d94", "#2c6660", "#8a1f4f"),
    "diagnosis": Palette.of("blue and lavender", "#eef0f8", "#dde1f1", "#b7bfe3", "#7382c0", "#34406f", "#c8648f"),
    "living-well": Palette.of(
        "sage green and terracotta", "#f2f5ea", "#e1ead2", "#c2d4a6", "#86a86a", "#4b6a3b", "#d9905f"
    ),
    "prevention-and-risk": Palette.of(
        "amber and plum", "#fcf4e7", "#f6e3c4", "#efc98e", "#dc9a45", "#8a1f4f", "#b5652a"
    ),
}
FALLBACK_PALETTE = PALETTES["research-news"]


class Canvas:
    """A drawing surface in the final image's coordinates (1200 by 630), drawn at SCALE times the size."""

    def __init__(self, paper):
        self.image = Image.new("RGB", (SIZE[0] * SCALE, SIZE[1] * SCALE), paper)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def scaled(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    def circle(self, x, y, radius, fill=None, outline=None, width=0):
        self.draw.circle((x * SCALE, y * SCALE), radius * SCALE, fill=fill, outline=outline, width=width * SCALE)

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.draw.ellipse([v * SCALE for v in box], fill=fill, outline=outline, width=width * SCALE)

    def chord(self, box, start, end, fill):
        self.draw.chord([v * SCALE for v in box], start, end, fill=fill)

    def box(self, box, fill=None, radius=0, outline=None, width=0):
        self.draw.rounded_rectangle(
            [v * SCALE for v in box], radius=radius * SCALE, fill=fill, outline=outline, width=width * SCALE
        )

    def shape(self, points, fill=None, outline=None, width=0):
        self.draw.polygon(self.scaled(points), fill=fill, outline=outline, width=width * SCALE)

    def stroke(self, points, fill, width, round_ends=True):
        """A line through `points`, with rounded joints and, by default, rounded ends."""
        self.draw.line(self.scaled(points), fill=fill, width=width * SCALE, joint="curve")
        if round_ends:
            for x, y in (points[0], points[-1]):
                self.circle(x, y, width / 2 - 0.5, fill=fill)

    def finished(self):
        small = self.image.resize(SIZE, Image.LANCZOS)
        buffer = io.BytesIO()
        small.quantize(COLOURS, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


# --- Shapes used by several motifs -------------------------------------------------------------------


def curve(start, control, end, steps=24):
    """Points along a quadratic Bézier curve."""
    return [
        (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
        )
        for t in (step / steps for step in range(steps + 1))
    ]


def heart_points(x, y, size):
    """A heart `size` wide centred on (x, y)."""
    scale = size / 34
    return [
        (
            x + scale * 16 * math.sin(t) ** 3,
            y - scale * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)) - scale,
        )
        for t in (step * 2 * math.pi / 96 for step in range(96))
    ]


def leaf_points(base, tip, width):
    """A leaf from its base to its tip, `width` across at the middle."""
    (x0, y0), (x1, y1) = base, tip
    length = math.hypot(x1 - x0, y1 - y0)
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    along = [step / 20 for step in range(21)]
    side = [(x0 + t * (x1 - x0), y0 + t * (y1 - y0), width / 2 * math.sin(math.pi * t)) for t in along]
    return [(x + nx * w, y + ny * w) for x, y, w in side] + [(x - nx * w, y - ny * w) for x, y, w in reversed(side)]


def wave(x, y, length, height, turns=1.5, steps=30):
    """A gentle vertical wave rising from (x, y), such as steam."""
    return [(x + height * math.sin(turns * 2 * math.pi * s / steps), y - length * s / steps) for s in range(steps + 1)]


def capsule(canvas, start, end, width, first, second):
    """A two-coloured capsule from `start` to `end`."""
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    canvas.stroke([start, middle], first, width)
    canvas.stroke([middle, end], second, width, round_ends=False)
    canvas.circle(*end, width / 2 - 0.5, fill=second)


# --- Backgrounds -------------------------------------------------------------------------------------


def dot_grid(canvas, palette, rng, x, y):
    """A small grid of dots, like a printer's tint, around (x, y)."""
    for row in range(4):
        for column in range(6):
            canvas.circle(x + column * 34 - 85, y + row * 34 - 50, 6, fill=palette.light)


def rings(canvas, palette, rng, x, y):
    """Concentric rings spreading from (x, y), mostly off the picture's edge."""
    for radius in (90, 150, 210):
        canvas.circle(x, y, radius, outline=palette.light, width=8)


def scattered_circles(canvas, palette, rng, x, y):
    """A few circles of different sizes drifting around (x, y)."""
    for _ in range(5):
        canvas.circle(x + rng.uniform(-130, 130), y + rng.uniform(-90, 90), rng.uniform(10, 34), fill=palette.light)


BACKGROUND_PATTERNS = (dot_grid, rings, scattered_circles)


def cells(canvas, palette, rng):
    """Cells as seen down a microscope: round outlines with a nucleus, spread over the picture."""
    placed = []
    for _ in range(400):
        if len(placed) == 16:
            break
        x, y, radius = rng.uniform(30, 1170), rng.uniform(30, 600), rng.uniform(26, 52)
        if all(math.hypot(x - px, y - py) > radius + pr + 26 for px, py, pr in placed):
            placed.append((x, y, radius))
    for x, y, radius in placed:
        canvas.circle(x, y, radius, fill=palette.soft, outline=palette.light, width=6)
        canvas.circle(x + radius * 0.2, y - radius * 0.15, radius * 0.32, fill=palette.light)


# --- Motifs: each drawn around (x, y), facing `side` (1 right, -1 left) -------------------------------


def microscope(canvas, p, x, y, side, rng):
    canvas.box((x - 150, y + 160, x + 150, y + 196), fill=p.deep, radius=16)  # foot
    arm = x - 70 * side
    canvas.stroke([(arm, y + 170), (arm, y + 20), (arm + 40 * side, y - 80)], p.main, 44)  # arm
    canvas.box((x - 80 + 40 * side, y + 44, x + 80 + 40 * side, y + 66), fill=p.deep, radius=8)  # stage
    canvas.box((x - 40 + 40 * side, y + 34, x + 40 + 40 * side, y + 44), fill=p.light, radius=3)  # slide
    lens, eyepiece = (x + 50 * side, y + 4), (x - 40 * side, y - 190)
    canvas.stroke([lens, eyepiece], p.deep, 62, round_ends=False)  # tube
    canvas.stroke([(x + 44 * side, y - 8), (x + 56 * side, y + 22)], p.accent, 40, round_ends=False)  # objective
    canvas.stroke([(x - 43 * side, y - 196), (x - 54 * side, y - 222)], p.accent, 78, round_ends=False)  # eyepiece
    canvas.circle(arm, y + 70, 24, fill=p.accent)  # focus knob
    canvas.circle(arm, y + 70, 9, fill=p.light)


def flask(canvas, p, x, y, side, rng):
    neck, base, top, bottom = 38, 160, y - 190, y + 180
    shoulder = y - 60
    glass = [(x - neck, top), (x + neck, top), (x + neck, shoulder), (x + base, bottom - 24)]
    glass += curve((x + base, bottom - 24), (x + base, bottom), (x + base - 30, bottom))
    glass += curve((x - base + 30, bottom), (x - base, bottom), (x - base, bottom - 24))
    glass += [(x - neck, shoulder)]
    canvas.shape(glass, fill=WHITE)
    level = y + 40 + rng.uniform(-20, 20)
    reach = neck + (base - neck) * (level - shoulder) / (bottom - 24 - shoulder)
    liquid = [(x - reach, level), (x + reach, level), (x + base, bottom - 24)]
    liquid += curve((x + base, bottom - 24), (x + base, bottom), (x + base - 30, bottom))
    liquid += curve((x - base + 30, bottom), (x - base, bottom), (x - base, bottom - 24))
    canvas.shape(liquid, fill=p.main)
    canvas.shape(glass, outline=p.deep, width=12)
    canvas.box((x - neck - 18, top - 22, x + neck + 18, top + 4), fill=p.deep, radius=10)  # rim
    for bx, by, radius in ((0.3, 0.35, 16), (-0.25, 0.6, 11), (0.05, 0.75, 8), (-0.05, 0.2, 7)):
        canvas.circle(x + bx * base * side, level + by * (bottom - level), radius, fill=p.light)
    for height, offset in ((70, 0), (110, 34)):  # rising bubbles above the neck
        canvas.circle(x + (offset - 10) * side, top - height, 12 - offset / 6, outline=p.main, width=6)


def helix(canvas, p, x, y, side, rng):
    tilt = math.radians(24 * side)

    def turned(dx, dy):
        return (x + dx * math.cos(tilt) - dy * math.sin(tilt), y + dx * math.sin(tilt) + dy * math.cos(tilt))

    steps = 60
    phase = [2 * math.pi * 1.6 * step / steps for step in range(steps + 1)]
    heights = [-230 + 460 * step / steps for step in range(steps + 1)]
    for step in range(3, steps, 5):  # the rungs between the strands
        reach = 95 * math.sin(phase[step])
        canvas.stroke([turned(-reach, heights[step]), turned(reach, heights[step])], p.light, 12)
    canvas.stroke([turned(-95 * math.sin(a), h) for a, h in zip(phase, heights, strict=True)], p.main, 26)
    canvas.stroke([turned(95 * math.sin(a), h) for a, h in zip(phase, heights, strict=True)], p.deep, 26)


def calendar(canvas, p, x, y, side, rng):
    left, top, right, bottom = x - 180, y - 170, x + 180, y + 180
    canvas.box((left + 10, top + 14, right + 10, bottom + 14), fill=p.light, radius=26)  # shadow
    canvas.box((left, top, right, bottom), fill=WHITE, radius=26)
    canvas.box((left, top, right, top + 80), fill=p.deep, radius=26)
    canvas.draw.rectangle([left * SCALE, (top + 50) * SCALE, right * SCALE, (top + 80) * SCALE], fill=p.deep)
    for ring_x in (left + 80, right - 80):
        canvas.stroke([(ring_x, top - 26), (ring_x, top + 22)], p.main, 18)
    marked = set(rng.sample(range(20), 4))
    for number in range(20):
        row, column = divmod(number, 5)
        cx, cy = left + 52 + column * 64, top + 122 + row * 58
        if number in marked:
            canvas.circle(cx, cy, 21, fill=p.main)
        else:
            canvas.box((cx - 17, cy - 12, cx + 17, cy + 12), fill=p.soft, radius=6)
    start = (x + 150 * side, y + 150)
    capsule(canvas, start, (start[0] + 130 * side, start[1] - 90), 62, p.accent, p.light)


def drip(canvas, p, x, y, side, rng):
    pole = x + 120 * side
    canvas.stroke([(pole, y - 220), (pole, y + 200)], p.deep, 14)  # stand
    canvas.stroke([(pole - 70, y + 204), (pole + 70, y + 204)], p.deep, 14)
    canvas.stroke([(pole, y - 214), (x, y - 214)], p.deep, 10)  # hook arm
    canvas.circle(x, y - 200, 14, outline=p.deep, width=6)
    bag = (x - 90, y - 180, x + 90, y + 30)
    canvas.box(bag, fill=WHITE, radius=40)
    level = y - 90 + rng.uniform(-20, 20)
    canvas.box((x - 90, level, x + 90, y + 30), fill=p.main, radius=40)
    canvas.box(bag, outline=p.deep, radius=40, width=8)
    canvas.box((x - 40, y - 140, x + 40, y - 112), fill=p.light, radius=8)  # label
    canvas.box((x - 18, y + 34, x + 18, y + 90), fill=p.light, radius=10)  # drip chamber
    canvas.circle(x, y + 70, 7, fill=p.accent)
    canvas.stroke(curve((x, y + 92), (x, y + 210), (x - 170 * side, y + 170)), p.main, 9)  # tube
    for number in range(3):
        dx, dy = x - (200 + 36 * number) * side, y - 130 + 48 * number
        canvas.shape([(dx, dy - 26), (dx - 13, dy), (dx + 13, dy)], fill=p.light)  # falling drops
        canvas.circle(dx, dy + 2, 13, fill=p.light)


def magnifier_over_scan(canvas, p, x, y, side, rng):
    left, top, right, bottom = x - 210, y - 170, x + 170, y + 170
    canvas.box((left, top, right, bottom), fill=p.deep, radius=22)
    cx = x - 20
    # A breast seen from the side, as on a mammogram: a pale rounded outline with soft inner lines.
    canvas.chord((cx - 230, y - 130, cx + 110, y + 130), 270, 90, fill=p.light)
    for inset, colour in ((40, p.soft), (90, WHITE)):
        canvas.draw.arc(
            [v * SCALE for v in (cx - 230 + inset, y - 130 + inset, cx + 110 - inset, y + 130 - inset)],
            280,
            80,
            fill=colour,
            width=6 * SCALE,
        )
    canvas.box((left, top, left + 60, bottom), fill=p.deep)  # the image's straight edge at the chest wall
    canvas.circle(cx + 30 + rng.uniform(-20, 20), y + rng.uniform(-40, 30), 10, fill=WHITE)  # what is looked at
    gx, gy = x + 70 * side, y + 10
    handle_end = (gx + 170 * side, gy + 170)
    canvas.stroke([(gx + 80 * side, gy + 80), handle_end], p.accent, 40)
    glass = Image.new("L", canvas.image.size, 0)
    ImageDraw.Draw(glass).circle((gx * SCALE, gy * SCALE), 100 * SCALE, fill=70)
    canvas.image.paste(WHITE, mask=glass)
    canvas.circle(gx, gy, 110, outline=p.accent, width=22)


def report(canvas, p, x, y, side, rng):
    left, top, right, bottom = x - 160, y - 190, x + 160, y + 200
    canvas.box((left, top, right, bottom), fill=p.deep, radius=24)  # clipboard
    canvas.box((left + 24, top + 40, right - 24, bottom - 24), fill=WHITE, radius=10)  # paper
    canvas.box((x - 60, top - 20, x + 60, top + 30), fill=p.main, radius=14)  # clip
    for row in range(4):
        ry = top + 100 + row * 48
        canvas.circle(left + 70, ry, 15, fill=p.accent if row == 1 else p.light)
        length = rng.uniform(110, 170)
        canvas.stroke([(left + 104, ry), (left + 104 + length, ry)], p.soft if row else p.light, 14)
    for number, height in enumerate(rng.sample([40, 60, 80, 100], 4)):  # a small bar chart
        bx = left + 70 + number * 50
        canvas.box((bx - 16, bottom - 50 - height, bx + 16, bottom - 50), fill=p.main, radius=6)
    glass = (x + 185 * side, y - 70)
    canvas.circle(*glass, 60, fill=p.soft, outline=p.accent, width=16)
    canvas.stroke([(glass[0] + 44 * side, glass[1] + 44), (glass[0] + 110 * side, glass[1] + 110)], p.accent, 24)


def teacup(canvas, p, x, y, side, rng):
    rim = y + 10
    canvas.ellipse((x - 230, y + 150, x + 230, y + 210), fill=p.light)  # saucer
    canvas.ellipse((x + 150 * side - 60, rim + 20, x + 150 * side + 60, rim + 120), outline=p.deep, width=22)
    canvas.chord((x - 140, rim - 160, x + 140, rim + 165), 0, 180, fill=p.deep)  # the cup
    canvas.ellipse((x - 140, rim - 24, x + 140, rim + 24), fill=p.deep)
    canvas.ellipse((x - 122, rim - 14, x + 122, rim + 14), fill=p.accent)  # the tea
    canvas.stroke([(x - 100, rim + 70), (x + 100, rim + 70)], p.main, 12)  # a band round the cup
    for offset, length in ((-60, 150), (0, 190), (60, 140)):
        canvas.stroke(wave(x + offset, rim - 50, length, 16, turns=1.2), p.light, 14)  # steam
    sprig = x - 260 * side
    canvas.stroke(curve((sprig, y + 190), (sprig - 20 * side, y), (sprig + 30 * side, y - 150)), p.main, 8)
    for t, lean in ((0.35, 1), (0.55, -1), (0.75, 1), (0.95, -1)):
        bx, by = sprig + 5 * side * t, y + 190 - 340 * t
        canvas.shape(leaf_points((bx, by), (bx + lean * 90, by - 50), 46), fill=p.main if lean > 0 else p.light)


def walker(canvas, p, x, y, side, rng):
    ground = y + 190
    canvas.shape(curve((0, ground + 60), (600, ground - 60), (1200, ground + 60)) + [(1200, 630), (0, 630)], p.light)
    canvas.circle(x + 260 * side, y - 150, 70, fill=p.accent)  # the sun
    for tx, size in ((x - 280 * side, 80), (x - 190 * side, 56)):  # trees
        base = ground - 18
        canvas.stroke([(tx, base), (tx, base - size * 1.5)], p.deep, 14)
        canvas.circle(tx, base - size * 1.8, size, fill=p.main)
    hip, neck = (x, y + 30), (x + 14 * side, y - 90)
    far, near = p.main, p.deep  # the limbs behind the body are paler
    canvas.stroke([neck, (x - 40 * side, y - 20), (x - 80 * side, y + 40)], far, 26)  # arm behind
    canvas.stroke([hip, (x - 40 * side, y + 110), (x - 100 * side, ground - 20)], far, 32)  # leg behind
    canvas.stroke([hip, neck], near, 50)  # body
    canvas.stroke([hip, (x + 50 * side, y + 100), (x + 80 * side, ground - 16)], near, 32)  # leg ahead
    canvas.stroke([neck, (x + 60 * side, y - 30), (x + 110 * side, y + 10)], near, 26)  # arm ahead
    canvas.circle(x + 26 * side, y - 150, 38, fill=near)  # head


def shield(canvas, p, x, y, side, rng):
    def outline(scale):
        w, top, shoulder, point = 170 * scale, y - 190 * scale, y + 10 * scale, y + 210 * scale
        points = curve((x - w, top + 20 * scale), (x, top - 30 * scale), (x + w, top + 20 * scale))
        points += curve((x + w, shoulder), (x + w, point - 60 * scale), (x, point))[1:]
        points += curve((x, point), (x - w, point - 60 * scale), (x - w, shoulder))[1:]
        return points

    canvas.shape([(px + 14, py + 14) for px, py in outline(1)], fill=p.light)  # shadow
    canvas.shape(outline(1), fill=p.deep)
    canvas.shape(outline(0.8), fill=p.main)
    canvas.shape(heart_points(x, y - 10, 170), fill=WHITE)
    canvas.stroke([(x - 40, y - 10), (x - 8, y + 24), (x + 48, y - 40)], p.accent, 20)  # a tick in the heart
    for number in range(3):
        sx = x - 250 * side - 30 * number * side
        canvas.circle(sx, y + 150 - 70 * number, 10 + 4 * number, fill=p.main)


def heartbeat(canvas, p, x, y, side, rng):
    for row in range(5):  # chart paper
        canvas.stroke([(x - 330, y - 160 + row * 80), (x + 330, y - 160 + row * 80)], p.soft, 6)
    canvas.shape(heart_points(x, y, 340), fill=p.main)
    canvas.shape(heart_points(x - 14, y - 18, 200), fill=p.light)
    trace = [(x - 360, y + 20), (x - 120, y + 20), (x - 80, y - 30), (x - 40, y + 80), (x + 10, y - 120)]
    trace += [(x + 60, y + 60), (x + 100, y + 20), (x + 360, y + 20)]
    if side < 0:
        trace = [(2 * x - tx, ty) for tx, ty in reversed(trace)]
    canvas.stroke(trace, p.deep, 16)
    canvas.circle(*trace[-1 if side > 0 else 0], 20, fill=p.accent)


class Motif(NamedTuple):
    draw: Callable
    shows: str  # for the alt text: what is drawn
    backdrop: Callable | None = None  # drawn across the whole picture first, if the motif has one


MOTIFS = {
    "research-news": (
        Motif(microscope, "a microscope above a pattern of cells", cells),
        Motif(flask, "a laboratory flask of liquid with rising bubbles, over a pattern of cells", cells),
        Motif(helix, "a twisting DNA double helix over a pattern of cells", cells),
    ),
    "treatment": (
        Motif(calendar, "a calendar with treatment days marked and a capsule beside it"),
        Motif(drip, "a drip bag on a stand with its tube hanging down"),
    ),
    "diagnosis": (
        Motif(magnifier_over_scan, "a magnifying glass held over a breast scan"),
        Motif(report, "a clipboard holding a test report, with a magnifying glass beside it"),
    ),
    "living-well": (
        Motif(teacup, "a steaming cup of tea on a saucer beside a sprig of leaves"),
        Motif(walker, "a person walking past trees under a low sun"),
    ),
    "prevention-and-risk": (
        Motif(shield, "a shield with a heart and a tick on it"),
        Motif(heartbeat, "a heart with a heartbeat line running across it"),
    ),
}


class Illustration:
    """The illustration of an article in `section` (a slug), varied by `seed` (the article's slug).
    `number` counts the section's articles: they take its motifs in turn, so each motif is used as often."""

    def __init__(self, *, section, seed, number):
        self.seed = seed
        choices = random.Random(seed)
        palette = PALETTES.get(section, FALLBACK_PALETTE)
        if choices.random() < 0.5:  # some articles swap two colours, so neighbouring cards differ more
            palette = replace(palette, main=palette.accent, accent=palette.main)
        self.palette = palette
        motifs = MOTIFS.get(section, MOTIFS["research-news"])
        self.motif = motifs[number % len(motifs)]
        self.side = choices.choice((1, -1))
        self.x = choices.choice((540, 600, 660))
        self.alt_text = f"An illustration of {self.motif.shows}, in {palette.name}."

    def png(self):
        return drawn(self.palette, self.motif, self.side, self.x, self.seed)


@lru_cache(maxsize=64)
def drawn(palette, motif, side, x, seed):
    """The PNG, drawn once per process: the same choices always draw the same picture, and the demo
    loader runs many times in the tests."""
    rng = random.Random(f"{seed} details")
    y = 315 + rng.uniform(-10, 10)
    canvas = Canvas(palette.paper)
    canvas.circle(x + rng.uniform(-60, 60), y + rng.uniform(-30, 30), rng.uniform(250, 290), fill=palette.soft)
    if motif.backdrop:
        motif.backdrop(canvas, palette, rng)
    else:
        corner = (x - 420 * side + rng.uniform(-30, 30), rng.choice((120, 510)))
        rng.choice(BACKGROUND_PATTERNS)(canvas, palette, rng, *corner)
    motif.draw(canvas, palette, x, y, side, rng)
    return canvas.finished()
