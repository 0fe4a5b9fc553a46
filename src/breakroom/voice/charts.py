"""Server-side SVG charts: no script, no request to anywhere, a table beside each."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: withheld by the k rule


def bar_chart(bars: list[Bar], *, title: str, withheld_label: str) -> SafeString:
    """Horizontal bars, each under its label (long labels in any language fit);
    withheld bars are drawn as a dashed outline with a note."""
    row_height, bar_width = 42, 280
    height = row_height * len(bars) + 4
    largest = max([bar.value for bar in bars if bar.value] or [1])
    rows = []
    for index, bar in enumerate(bars):
        y = index * row_height
        if bar.value is None:
            shape = format_html(
                '<rect x="0" y="{}" width="40" height="16" fill="none" stroke="#4a4a4a" '
                'stroke-dasharray="3 3"/><text x="48" y="{}" font-size="12">{}</text>',
                y + 18,
                y + 31,
                withheld_label,
            )
        else:
            width = max(2, round(bar_width * bar.value / largest))
            shape = format_html(
                '<rect x="0" y="{}" width="{}" height="16" fill="#1d3557"/>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                y + 18,
                width,
                width + 6,
                y + 31,
                bar.value,
            )
        rows.append(
            format_html('<text x="0" y="{}" font-size="13">{}</text>{}', y + 13, bar.label, shape)
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" class="chart">{}</svg>',
        bar_width + 60,
        height,
        title,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
