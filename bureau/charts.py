"""The one chart renderer: small SVG charts built on the server.

Pages and PDFs embed the same SVG, so a chart looks the same on screen and on paper and
needs no JavaScript. Every label is escaped; sizes are in SVG user units and scale with
the container (viewBox + width 100%).
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass
class Bar:
    label: str
    value: float
    tone: str = "neutral"  # ok | warn | bad | neutral: the CSS class of the bar
    note: str = ""  # text after the bar; defaults to the value


TONE_COLOURS = {"ok": "#2f855a", "warn": "#d69e2e", "bad": "#c53030", "neutral": "#0b5394"}


def bar_chart(bars, *, title, max_value=None, reference=None, reference_label="", label_width=120, row_height=26):
    """A horizontal bar chart; `reference` draws a dashed line (e.g. the 100 % threshold)."""
    width = 640
    plot_left, plot_right = label_width + 8, width - 70
    plot_width = plot_right - plot_left
    top = 28
    height = top + row_height * len(bars) + 12
    scale_max = max([b.value for b in bars] + [reference or 0, max_value or 0, 1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="600">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row_height
        length = plot_width * max(bar.value, 0) / scale_max
        colour = TONE_COLOURS.get(bar.tone, TONE_COLOURS["neutral"])
        note = bar.note or _number(bar.value)
        parts.append(
            f'<text x="{label_width}" y="{y + row_height * 0.65:.1f}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{plot_left}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" rx="2" fill="{colour}"/>'
            f'<text x="{plot_left + length + 6:.1f}" y="{y + row_height * 0.65:.1f}" fill="#3e4c59">{escape(note)}</text>'
        )
    if reference is not None:
        x = plot_left + plot_width * reference / scale_max
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#1f2933" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" font-size="11">{escape(reference_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)
