"""Server-side SVG charts: no script, no request to anywhere, a table beside each."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: withheld by the k rule


def bar_chart(bars: list[Bar], *, title: str, withheld_label: str) -> SafeString:
    """A horizontal bar chart; withheld bars are drawn as an outline with a note."""
    row_height, label_width, bar_width = 28, 170, 220
    height = row_height * len(bars) + 8
    largest = max([bar.value for bar in bars if bar.value] or [1])
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * row_height
        if bar.value is None:
            shape = format_html(
                '<rect x="{}" y="{}" width="40" height="18" fill="none" stroke="#4a4a4a" '
                'stroke-dasharray="3 3"/><text x="{}" y="{}" font-size="12">{}</text>',
                label_width,
                y,
                label_width + 48,
                y + 14,
                withheld_label,
            )
        else:
            width = round(bar_width * bar.value / largest)
            shape = format_html(
                '<rect x="{}" y="{}" width="{}" height="18" fill="#1d3557"/>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                label_width,
                y,
                width,
                label_width + width + 6,
                y + 14,
                bar.value,
            )
        rows.append(
            format_html('<text x="0" y="{}" font-size="13">{}</text>{}', y + 14, bar.label, shape)
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" class="chart">{}</svg>',
        label_width + bar_width + 60,
        height,
        title,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
