"""The diary's check, for people: translated titles, charts, and the export files."""

import csv
import datetime
import hashlib
import io
from html import escape
from typing import Any

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules
from .store import Entry
from .text import Text, Voice

# The engine's sentences in the language of the request (or command) being served.
READERS_VOICE = Voice(
    gettext=_,
    day=lambda value: formats.date_format(value, "D j M Y"),
    weekday=lambda value: formats.date_format(value, "D"),
    number=lambda text: text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR"))),
)


def say(text: Text | str) -> str:
    """`text` in the active language: the engine's findings, notes and input problems."""
    return text if isinstance(text, str) else text.render(READERS_VOICE)


TITLES = {
    rules.Rule.WORKING_TIME: gettext_lazy("Working time"),
    rules.Rule.WEEKLY_AVERAGE: gettext_lazy("48-hour weekly average"),
    rules.Rule.OPT_OUT: gettext_lazy("Opt-out from the 48-hour limit"),
    rules.Rule.DAILY_REST: gettext_lazy("Daily rest (11 hours)"),
    rules.Rule.WEEKLY_REST: gettext_lazy("Weekly rest"),
    rules.Rule.REST_BREAK: gettext_lazy("Rest break (20 minutes over 6 hours)"),
    rules.Rule.NIGHT_WORKER: gettext_lazy("Night worker"),
    rules.Rule.NIGHT_AVERAGE: gettext_lazy("Night work average (8 hours)"),
    rules.Rule.YOUNG_DAILY_LIMIT: gettext_lazy("Young worker's 8-hour day"),
    rules.Rule.YOUNG_WEEKLY_LIMIT: gettext_lazy("Young worker's 40-hour week"),
    rules.Rule.YOUNG_NIGHT_WORK: gettext_lazy("Young worker's night work"),
}


def title(finding: rules.Finding) -> str:
    return str(TITLES.get(finding.rule, finding.title))


def hours_chart(weeks: tuple[rules.WeekTotal, ...], *, limit: float = 48) -> SafeString:
    """Hours per week as bars, with the 48-hour line."""
    if not weeks:
        return SafeString("")
    width, height, top = 320, 160, 72.0
    bar = width / len(weeks)
    scale = (height - 20) / max(top, max(week.hours for week in weeks) + 4)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (
                round(index * bar + 2, 1),
                round(height - week.hours * scale, 1),
                round(bar - 4, 1),
                round(week.hours * scale, 1),
                "#a4161a" if week.hours > limit else "#1d3557",
            )
            for index, week in enumerate(weeks)
        ),
    )
    line_y = round(height - limit * scale, 1)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'class="chart">{}<line x1="0" x2="{}" y1="{}" y2="{}" stroke="#f1c40f" stroke-width="2"/>'
        '<text x="4" y="{}" font-size="11">{}</text></svg>',
        width,
        height,
        _("Hours worked each week, against the 48-hour line"),
        bars,
        width,
        line_y,
        line_y,
        line_y - 4,
        _("48 hours"),
    )


def rest_chart(gaps: tuple[rules.RestGap, ...], *, limit: float = 11) -> SafeString:
    """Rest between shifts as bars, with the 11-hour line (gaps over 30 h are capped)."""
    if not gaps:
        return SafeString("")
    width, height, cap = 320, 140, 30.0
    bar = width / len(gaps)
    scale = (height - 20) / cap
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (
                round(index * bar + 1, 1),
                round(height - min(gap.hours, cap) * scale, 1),
                round(max(bar - 2, 1), 1),
                round(min(gap.hours, cap) * scale, 1),
                "#a4161a" if gap.hours < limit else "#1d3557",
            )
            for index, gap in enumerate(gaps)
        ),
    )
    line_y = round(height - limit * scale, 1)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'class="chart">{}<line x1="0" x2="{}" y1="{}" y2="{}" stroke="#f1c40f" stroke-width="2"/>'
        '<text x="4" y="{}" font-size="11">{}</text></svg>',
        width,
        height,
        _("Hours of rest between shifts, against the 11-hour line"),
        bars,
        width,
        line_y,
        line_y,
        line_y - 4,
        _("11 hours"),
    )


ENTRY_COLUMNS = [
    "kind",
    "day",
    "start",
    "end",
    "scheduled_start",
    "scheduled_end",
    "break_minutes",
    "extra_minutes",
    "notice_hours",
    "screening_minutes",
    "walking_minutes",
    "task",
    "target_rate",
    "achieved_rate",
    "off_task_warnings",
    "first_day",
    "last_day",
    "absence_kind",
    "incident",
]


def evidence_csv(
    entries: list[Entry], check: rules.DiaryCheck | None, *, made_on: datetime.date
) -> str:
    """Entries, then figures and breaches with their arithmetic, as one CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Breakroom working-time diary"),
            _("made on %(day)s") % {"day": made_on.isoformat()},
            say(rules.DISCLAIMER),
        ]
    )
    writer.writerow([])
    writer.writerow(ENTRY_COLUMNS)
    for entry in entries:
        writer.writerow([entry.data.get(column, "") for column in ENTRY_COLUMNS])
    if check is not None:
        writer.writerow([])
        writer.writerow(
            [
                _("finding"),
                _("rule"),
                _("regulation"),
                _("breach"),
                _("from"),
                _("to"),
                _("summary"),
                _("arithmetic"),
            ]
        )
        for kind, findings in ((_("breach"), check.breaches), (_("figure"), check.figures)):
            for finding in findings:
                writer.writerow(
                    [
                        kind,
                        title(finding),
                        finding.regulation,
                        _("yes") if finding.is_breach else _("no"),
                        finding.first_day.isoformat(),
                        finding.last_day.isoformat(),
                        say(finding.summary),
                        say(finding.arithmetic),
                    ]
                )
    return out.getvalue()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# Fonts with the letters of Polish and Romanian (ą, ł, ș, ț …): DejaVu from the system
# (Debian's fonts-dejavu-core), else Bitstream Vera, which reportlab ships.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)


def _register_fonts() -> tuple[str, str]:
    from pathlib import Path

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "BreakroomSans" in pdfmetrics.getRegisteredFontNames():
        return "BreakroomSans", "BreakroomSans-Bold"
    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates = [*FONT_CANDIDATES, (str(bundled / "Vera.ttf"), str(bundled / "VeraBd.ttf"))]
    regular, bold = next((pair for pair in candidates if Path(pair[0]).exists()), candidates[-1])
    pdfmetrics.registerFont(TTFont("BreakroomSans", regular))
    pdfmetrics.registerFont(TTFont("BreakroomSans-Bold", bold))
    pdfmetrics.registerFontFamily(
        "BreakroomSans", normal="BreakroomSans", bold="BreakroomSans-Bold"
    )
    return "BreakroomSans", "BreakroomSans-Bold"


def evidence_pdf(
    entries: list[Entry], check: rules.DiaryCheck | None, *, made_on: datetime.date, owner: str
) -> bytes:
    """The evidence pack: findings with arithmetic, the entries, and on every page the
    date and the SHA-256 of the CSV with the same content, so any copy can be checked."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    digest = content_hash(evidence_csv(entries, check, made_on=made_on))
    font, bold = _register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = bold if "Heading" in style.name or style.name == "Title" else font
    buffer = io.BytesIO()

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawString(
            15 * mm,
            10 * mm,
            _(
                "Breakroom diary of %(owner)s · made %(day)s · page %(page)s · "
                "content SHA-256 %(hash)s"
            )
            % {"owner": owner, "day": made_on.isoformat(), "page": document.page, "hash": digest},
        )
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(_("Working-time evidence"), styles["Title"]),
        Paragraph(
            _("Kept by %(owner)s in Breakroom, made on %(day)s.")
            % {"owner": escape(owner), "day": made_on.isoformat()},
            styles["Normal"],
        ),
        Paragraph(escape(say(rules.DISCLAIMER)), styles["Italic"]),
        Spacer(1, 6 * mm),
    ]
    if check is not None:
        story.append(Paragraph(_("Breaches"), styles["Heading2"]))
        if not check.breaches:
            story.append(Paragraph(_("No breach found."), styles["Normal"]))
        for finding in check.breaches:
            story.append(
                Paragraph(
                    f"<b>{escape(title(finding))}</b> ({escape(finding.regulation)}), "
                    f"{finding.first_day.isoformat()} to {finding.last_day.isoformat()}",
                    styles["Normal"],
                )
            )
            story.append(Paragraph(escape(say(finding.summary)), styles["Normal"]))
            story.append(Paragraph(f"<i>{escape(say(finding.arithmetic))}</i>", styles["Normal"]))
            story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(_("Figures"), styles["Heading2"]))
        for finding in check.figures:
            story.append(
                Paragraph(
                    f"<b>{escape(title(finding))}</b>: {escape(say(finding.summary))}",
                    styles["Normal"],
                )
            )
            story.append(Paragraph(f"<i>{escape(say(finding.arithmetic))}</i>", styles["Normal"]))
    story.append(Paragraph(_("Entries"), styles["Heading2"]))
    rows = [["", _("Day"), _("Start"), _("End"), _("Breaks"), _("Extra"), _("Notes")]]
    for entry in entries:
        data = entry.data
        if entry.kind == "shift":
            rows.append(
                [
                    "shift",
                    data["day"],
                    data.get("start", ""),
                    data.get("end", ""),
                    str(data.get("break_minutes", "")),
                    str(data.get("extra_minutes", "")),
                    str(data.get("task", "")),
                ]
            )
        else:
            rows.append(
                [data.get("absence_kind", ""), data["first_day"], "", data["last_day"], "", "", ""]
            )
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    story.append(table)
    SimpleDocTemplate(
        buffer, pagesize=A4, title="Breakroom working-time evidence", author=owner
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


HOURS_LABELS = {
    "under-40": gettext_lazy("under 40 hours"),
    "40-48": gettext_lazy("40 to 48 hours"),
    "48-55": gettext_lazy("48 to 55 hours"),
    "55-60": gettext_lazy("55 to 60 hours"),
    "over-60": gettext_lazy("over 60 hours"),
}


def hours_grid(document: dict[str, Any]) -> dict[str, Any]:
    """Contributed weeks by hours band, ready for the site page's table."""
    table = document["hours"]
    return {
        "k": document["k"],
        "weeks": [datetime.date.fromisoformat(week) for week in table["columns"]],
        "rows": [
            (str(HOURS_LABELS[row]), [table["cells"][f"{row}|{week}"] for week in table["columns"]])
            for row in table["rows"]
        ],
        "totals": [table["column_totals"][week] for week in table["columns"]],
    }
