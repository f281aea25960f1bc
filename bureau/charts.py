"""The one chart renderer: small SVG charts built on the server.

Pages and PDFs embed the same SVG, so a chart looks the same on screen and on paper and
needs no JavaScript. Every label is escaped.

Text size: an SVG scaled to its container scales its text with it, so one drawing 640
units wide read 6 px on a phone and 24 px on a desktop. Each chart is therefore drawn
twice, at the two widths it is shown at (640 units for a desktop or paper, 340 for a
phone), and the stylesheet shows one of them at about its own size (`.chart-wide`,
`.chart-narrow` in static/css/portal.css): labels of 13 units read about 13 px on both.
The title is an HTML caption, so it wraps like the page's text instead of shrinking.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDE = 640
NARROW = 340
FONT_SIZE = 13


@dataclass
class Bar:
    label: str
    value: float
    tone: str = "neutral"  # ok | warn | bad | neutral: the CSS class of the bar
    note: str = ""  # text after the bar; defaults to the value


TONE_COLOURS = {"ok": "#2f855a", "warn": "#d69e2e", "bad": "#c53030", "neutral": "#0b5394"}


def bar_chart(bars, *, title, max_value=None, reference=None, reference_label="", label_width=120, row_height=26):
    """A horizontal bar chart; `reference` draws a dashed line (e.g. the 100 % threshold)."""
    drawings = [
        _bar_svg(bars, width=width, css=css, title=title, max_value=max_value, reference=reference,
                 reference_label=reference_label, label_width=label_width, row_height=row_height)
        for width, css in ((WIDE, "chart chart-wide"), (max(NARROW, label_width + 220), "chart chart-narrow"))
    ]
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        f'<figure class="chart-box"><figcaption>{escape(title)}</figcaption>{"".join(drawings)}</figure>'
    )


def _bar_svg(bars, *, width, css, title, max_value, reference, reference_label, label_width, row_height):
    plot_left, plot_right = label_width + 8, width - 56
    plot_width = plot_right - plot_left
    top = 20 if reference is not None else 6
    height = top + row_height * len(bars) + 8
    scale_max = max([b.value for b in bars] + [reference or 0, max_value or 0, 1])
    parts = [
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
    ]
    if reference is not None:  # drawn first, under the bars' figures and their white ground
        x = plot_left + plot_width * reference / scale_max
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="#1f2933" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{top - 7}" text-anchor="middle" font-size="12">{escape(reference_label)}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row_height
        length = plot_width * max(bar.value, 0) / scale_max
        colour = TONE_COLOURS.get(bar.tone, TONE_COLOURS["neutral"])
        note = bar.note or _number(bar.value)
        parts.append(
            f'<text x="{label_width}" y="{y + row_height * 0.65:.1f}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{plot_left}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" rx="2" fill="{colour}"/>'
            # A white ground under the figure, so that a limit line behind it does not strike it
            # through (digits are about 0.6 of the font size wide).
            f'<rect x="{plot_left + length + 4:.1f}" y="{y + 5}" width="{len(note) * FONT_SIZE * 0.6 + 4:.1f}" '
            f'height="{row_height - 10}" fill="#fff"/>'
            f'<text x="{plot_left + length + 6:.1f}" y="{y + row_height * 0.65:.1f}" fill="#3e4c59">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# The steps of a chart's top: a reader takes 400 or 12 at a glance, not 335.5 or 12.1.
NICE_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceiling(value):
    """The smallest round number (a NICE_STEPS step times a power of ten) at or above `value`;
    1 for nothing above zero."""
    value = float(value)
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    # A hair of tolerance: 300 stays 300 though 3 × 100 may come out 300.00000000000006.
    step = next(step for step in NICE_STEPS if step * power >= value * (1 - 1e-9))
    return round(step * power, 12)


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class Series:
    label: str
    values: list  # one per label of the chart; None where there is no figure
    tone: str = "neutral"
    places: int | None = None  # decimals of the legend's latest figure (None: as it comes)


def line_chart(series, *, labels, title, reference=None, reference_label=""):
    """Lines over periods (trends from past snapshots); `reference` draws a dashed level
    (a target or a limit). Each series is named in a legend under the plot."""
    drawings = [
        _line_svg(series, labels=labels, width=width, css=css, title=title, reference=reference,
                  reference_label=reference_label)
        for width, css in ((WIDE, "chart chart-wide"), (NARROW, "chart chart-narrow"))
    ]
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        f'<figure class="chart-box"><figcaption>{escape(title)}</figcaption>{"".join(drawings)}</figure>'
    )


def _line_svg(series, *, labels, width, css, title, reference, reference_label):
    # The right margin holds half of the last period's label, centred on its point.
    left, right, top, plot_height = 44, width - 26, 14, 150
    bottom = top + plot_height
    legend_top = bottom + 30
    height = legend_top + 20 * len(series) + 4
    numbers = [v for s in series for v in s.values if v is not None]
    scale_max = nice_ceiling(max(numbers + [reference or 0, 0]))
    count = max(len(labels), 1)
    step = (right - left) / max(count - 1, 1)

    def x(i):
        return left + (step * i if count > 1 else (right - left) / 2)

    def y(v):
        return bottom - plot_height * v / scale_max

    parts = [
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#9aa5b1"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{escape(_number(scale_max))}</text>',
        f'<text x="{left - 6}" y="{bottom}" text-anchor="end" font-size="11">0</text>',
    ]
    # Label every period when they fit, else every other one.
    every = 1 if count * 56 <= (right - left) + 56 else 2
    for i, label in enumerate(labels):
        if i % every == 0 or i == count - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{bottom + 18}" text-anchor="middle" font-size="11">'
                         f"{escape(label)}</text>")
    if reference is not None:
        parts.append(
            f'<line x1="{left}" y1="{y(reference):.1f}" x2="{right}" y2="{y(reference):.1f}" stroke="#1f2933" '
            f'stroke-dasharray="4 3"/><text x="{right}" y="{y(reference) - 4:.1f}" text-anchor="end" '
            f'font-size="11">{escape(reference_label)}</text>'
        )
    for n, line in enumerate(series):
        colour = TONE_COLOURS.get(line.tone, TONE_COLOURS["neutral"])
        points = [(x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>')
        last = next((v for v in reversed(line.values) if v is not None), None)
        ly = legend_top + 20 * n
        if last is not None and line.places is not None:
            last = round(float(last), line.places)
        note = "" if last is None else f"：{_number(last)}"
        parts.append(
            f'<rect x="{left}" y="{ly - 9}" width="12" height="4" fill="{colour}"/>'
            f'<text x="{left + 18}" y="{ly}">{escape(line.label)}{escape(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
