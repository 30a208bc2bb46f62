"""The WZK meeting as a PowerPoint file (16:9): a title slide, then one slide per meeting-mode screen.

The screens are `wzk.meeting_slides` itself (the disclosure rule is already applied there), drawn
from their generic fields — title, numbers, lines, chart (and a `table`, if a screen has one) — so a
new kind of screen appears here without a change. Charts are native PowerPoint bar charts (editable
in PowerPoint, no browser needed); a hidden count ("<5", "x") gets no bar, only its label.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.chart.axis import CategoryAxis
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from kooperacja import wzk
from kooperacja.model import disclosure
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import fmt_date, fmt_number, plural
from kooperacja.warehouse import get_setting

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13.33 × 7.5 in (PowerPoint's "Widescreen")
MARGIN = Inches(0.5)
FONT = "Arial"  # in PowerPoint and, metric-compatible (Liberation Sans), in LibreOffice
BLUE, GREY, DARK = RGBColor(0x00, 0x72, 0xB2), RGBColor(0x59, 0x59, 0x59), RGBColor(0x22, 0x22, 0x22)
SERIES = ["0072B2", "009E73", "E69F00", "D55E00", "CC79A7", "56B4E9"]  # Okabe–Ito, as the pages
CHART_ROWS = 12  # bars on one slide that stay readable; a longer chart shows its first rows
TITLE_LAYOUT, TITLE_ONLY = 0, 5  # of python-pptx's default template
DEFAULT_PLACE = "siedziba ROPS"

WZK_MEETING = "SELECT meeting_id, held_on, agenda FROM meeting WHERE kind = 'wzk'"
MEETING = WZK_MEETING + " AND meeting_id = ?"
ON_DAY = WZK_MEETING + " AND held_on = ? ORDER BY meeting_id DESC LIMIT 1"
NEXT = WZK_MEETING + " AND held_on >= ? ORDER BY held_on, meeting_id LIMIT 1"


@dataclass(frozen=True)
class MeetingFacts:
    """What the title slide says: who meets, when, where, about what (a recorded agenda, if any)."""

    held_on: date
    rops: str
    place: str
    agenda: str | None = None
    meeting_id: int | None = None


def meeting_facts(conn: duckdb.DuckDBPyConnection, meeting: int | date) -> MeetingFacts:
    """The facts of a recorded WZK meeting (by id), or of the meeting on a day (recorded or not)."""
    cur = conn.cursor()
    if isinstance(meeting, date):
        rows = cur.execute(ON_DAY, [meeting]).fetchall()
        found = rows[0] if rows else (None, meeting, None)
    else:
        rows = cur.execute(MEETING, [meeting]).fetchall()
        if not rows:
            raise InvalidInput([f"Posiedzenie WZK: nie ma posiedzenia nr {meeting}"])
        found = rows[0]
    region = get_setting(conn, "region_name")
    rops = get_setting(conn, "rops_name") or "Regionalny Ośrodek Polityki Społecznej" + (
        f" — {region}" if region else ""
    )
    place = get_setting(conn, "rops_place") or DEFAULT_PLACE
    return MeetingFacts(found[1], rops, place, found[2] or None, found[0])


def next_meeting(conn: duckdb.DuckDBPyConnection, today: date) -> int | date:
    """The meeting the meeting mode prepares: the first recorded WZK meeting from `today`, else today's."""
    rows = conn.cursor().execute(NEXT, [today]).fetchall()
    return int(rows[0][0]) if rows else today


def file_name(facts: MeetingFacts) -> str:
    return f"wzk_posiedzenie_{facts.held_on:%Y-%m-%d}.pptx"


def meeting_pptx(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting: int | date,
    today: date,
    *,
    screens: list[wzk.Slide] | None = None,
) -> bytes:
    """The meeting's presentation for `actor`: the meeting mode's screens on `today` (read unless given)."""
    facts = meeting_facts(conn, meeting)
    return to_pptx(wzk.meeting_slides(conn, actor, today) if screens is None else screens, facts, today)


def to_pptx(screens: list[wzk.Slide], facts: MeetingFacts, today: date) -> bytes:
    """The presentation of `screens` as bytes of a .pptx file."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = f"Posiedzenie WZK {fmt_date(facts.held_on)}"
    prs.core_properties.author = facts.rops
    prs.core_properties.language = "pl-PL"
    _title_slide(prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT]), screens, facts, today)
    for n, screen in enumerate(screens, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        _screen(slide, screen)
        _footer(slide, facts, today, f"{n} / {len(screens)}", _hides(screen))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _title_slide(slide: PptxSlide, screens: list[wzk.Slide], facts: MeetingFacts, today: date) -> None:
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(title, MARGIN, Inches(0.9), WIDTH - 2 * MARGIN, Inches(1.5))
    _write(title.text_frame, ["Posiedzenie Wojewódzkiego Zespołu Kooperacji"], 40, bold=True, color=BLUE)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _place(subtitle, MARGIN, Inches(2.6), WIDTH - 2 * MARGIN, Inches(4.3))
    lines = [facts.rops, f"{fmt_date(facts.held_on)}, {facts.place}"]
    if facts.agenda:
        lines.append(f"Porządek: {_short(facts.agenda, 160)}")
    points = [f"{n}. {s.title}" for n, s in enumerate(screens, start=1)]
    tf = subtitle.text_frame
    _write(tf, lines, 24, color=DARK)
    _write(tf, ["Punkty posiedzenia:"], 20, color=GREY, append=True, before=14)
    _write(tf, points, _size(points, 12.3, 2.6, top=20), color=GREY, append=True)
    _write(tf, [f"Dane: stan na {fmt_date(today)}"], 16, color=GREY, append=True, before=14)


def _screen(slide: PptxSlide, screen: wzk.Slide) -> None:
    """Title on top; the big numbers, then the lines; a chart (or table) takes the right-hand side."""
    title = cast(Shape, slide.shapes.title)  # the layout's title placeholder
    _place(title, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.0))
    size = max(24, min(34, int(Emu(WIDTH - 2 * MARGIN).inches * 72 / (len(screen.title) * 0.6))))
    _write(title.text_frame, [screen.title], size, bold=True, color=BLUE, align=PP_ALIGN.LEFT)
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    top, bottom = Inches(1.4), HEIGHT - Inches(0.8)
    table = getattr(screen, "table", None)
    figure = screen.chart if screen.chart is not None and len(screen.chart) else None
    grid = table if isinstance(table, pd.DataFrame) and len(table) else None
    side = figure is not None or grid is not None
    column = Inches(4.6) if side and (screen.numbers or screen.lines) else 0 if side else WIDTH - 2 * MARGIN
    below = _numbers(slide, screen.numbers, top, column, 2 if side else 4) if screen.numbers else top
    if screen.lines:
        _lines(slide, screen.lines, MARGIN, below, column, bottom - below)
    left = MARGIN + column + (Inches(0.3) if column else 0)
    if figure is not None:
        _chart(slide, figure, left, top, WIDTH - MARGIN - left, bottom - top)
    elif grid is not None:
        _table(slide, grid, left, top, WIDTH - MARGIN - left, bottom - top)


def _numbers(slide: PptxSlide, numbers: list[tuple[str, str]], top: int, width: int, per_row: int) -> int:
    """The screen's big numbers, `per_row` side by side: the value large and blue, its label under it.

    Returns where the space under them begins.
    """
    tile_w = min(Inches(3.0), width // min(per_row, len(numbers)))
    tile_h = Inches(1.35)
    for i, (label, value) in enumerate(numbers):
        row, col = divmod(i, per_row)
        left = MARGIN + col * tile_w
        box = _textbox(slide, left, top + row * tile_h, tile_w - Inches(0.15), tile_h)
        tf = box.text_frame
        tf.word_wrap = True
        fits = int(Emu(tile_w).inches * 72 / (max(1, len(value)) * 0.62))  # bold digits, about 0.6 em
        _write(tf, [value], max(24, min(48, fits)), bold=True, color=BLUE)
        _write(tf, [label], 18 if len(label) <= 20 else 14, color=GREY, append=True)
    return top + -(-len(numbers) // per_row) * tile_h + Inches(0.2)


def _lines(slide: PptxSlide, lines: list[str], left: int, top: int, width: int, height: int) -> None:
    """The screen's short lines as bullets, in the largest font that fits the box."""
    box = _textbox(slide, left, top, width, height)
    box.text_frame.word_wrap = True
    size = _size(lines, Emu(width).inches - 0.4, Emu(height).inches)
    _write(box.text_frame, lines, size, color=DARK, space=6, bullet=True)


def _chart(slide: PptxSlide, table: pd.DataFrame, left: int, top: int, width: int, height: int) -> None:
    """Horizontal bars of the chart table: rows named by its first column, one series per other one."""
    shown = table.head(CHART_ROWS)
    data = CategoryChartData(number_format="0")
    data.categories = [str(v) for v in shown.iloc[:, 0]]
    for col in shown.columns[1:]:
        data.add_series(str(col), [_length(v) for v in shown[col]])
    caption = Inches(0.4) if len(table) > len(shown) else 0
    x, y, cx, cy = (Emu(v) for v in (left, top, width, height - caption))
    frame: Any = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, x, y, cx, cy, cast(Any, data))
    chart = frame.chart
    chart.font.name, chart.font.size = FONT, Pt(16 if len(shown) <= 8 else 14)
    chart.has_legend = len(shown.columns) > 2
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    axis = chart.category_axis
    axis.reverse_order = True  # the first row on top, as on the screen …
    values = chart.value_axis._element  # … and the values' axis still at the bottom (at the last row)
    values._remove_crosses()
    values._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    axis.tick_labels.font.size = chart.font.size
    axis.format.line.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)
    _every_label(axis)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    chart.value_axis.tick_labels.font.size = Pt(12)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0", False
    for n, (series, col) in enumerate(zip(plot.series, shown.columns[1:], strict=True)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(SERIES[n % len(SERIES)])
        for i, value in enumerate(shown[col]):
            if _length(value) == 0 and disclosure.is_hidden(value):
                series.points[i].data_label.text_frame.text = str(value)
    if caption:
        note = _textbox(slide, left, top + height - caption, width, caption)
        first = plural(len(shown), "pierwsza pozycja", "pierwsze pozycje", "pierwszych pozycji")
        _write(note.text_frame, [f"Na wykresie {first} z {fmt_number(len(table))}."], 12, color=GREY)


def _table(slide: PptxSlide, table: pd.DataFrame, left: int, top: int, width: int, height: int) -> None:
    shown = table.head(CHART_ROWS)
    rows, cols = len(shown) + 1, len(shown.columns)
    box = [Emu(v) for v in (left, top, width, min(height, Inches(0.4) * rows))]
    grid = slide.shapes.add_table(rows, cols, *box).table
    for j, col in enumerate(shown.columns):
        _write(grid.cell(0, j).text_frame, [str(col)], 14, bold=True)
        for i, value in enumerate(shown[col], start=1):
            _write(grid.cell(i, j).text_frame, [_cell(value)], 12, color=DARK)


def _cell(value: object) -> str:
    """A table cell as the pages show it: no "nan" or "None", whole numbers without ".0", dd.mm.rrrr.

    >>> _cell(7.0), _cell(None), _cell(float("nan")), _cell(date(2026, 11, 24)), _cell("<5")
    ('7', '', '', '24.11.2026', '<5')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return fmt_date(value) if isinstance(value, date) else str(value)


def _footer(slide: PptxSlide, facts: MeetingFacts, today: date, counter: str, note: bool) -> None:
    top = HEIGHT - Inches(0.7)
    text = f"Posiedzenie WZK {fmt_date(facts.held_on)} · stan na {fmt_date(today)}"
    if note:
        text += f" · {disclosure.NOTE}."
    box = _textbox(slide, MARGIN, top, WIDTH - 2 * MARGIN - Inches(1.0), Inches(0.6))
    box.text_frame.word_wrap = True
    _write(box.text_frame, [text], 11, color=GREY)
    page = _textbox(slide, WIDTH - MARGIN - Inches(1.0), top, Inches(1.0), Inches(0.6))
    _write(page.text_frame, [counter], 12, color=GREY, align=PP_ALIGN.RIGHT)


def _hides(screen: wzk.Slide) -> bool:
    """Whether the screen shows a hidden count ("<5" or "x"), so the footer explains it."""
    values = [v for _, v in screen.numbers] + [x for line in screen.lines for x in line.split()]
    if screen.chart is not None:
        values += [v for col in screen.chart.columns[1:] for v in screen.chart[col]]
    return any(disclosure.is_hidden(v) or disclosure.LABEL in str(v) for v in values)


def _write(
    tf: TextFrame,
    lines: Iterable[str],
    size: float,
    *,
    bold: bool = False,
    color: RGBColor = DARK,
    align: PP_ALIGN | None = None,
    append: bool = False,
    space: int = 0,
    before: int = 0,
    bullet: bool = False,
) -> None:
    """Each line a paragraph of `tf` (its first, empty paragraph reused unless appending)."""
    for n, line in enumerate(lines):
        p = tf.paragraphs[0] if n == 0 and not append else tf.add_paragraph()
        p.text = ""
        run = p.add_run()
        run.text = line
        run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
        run.font.color.rgb = color
        if align is not None:
            p.alignment = align
        if space:
            p.space_after = Pt(space)
        if before and n == 0:
            p.space_before = Pt(before)
        if bullet:  # a hanging "•": wrapped text lines up under the text, not under the bullet
            ppr = p._p.get_or_add_pPr()
            ppr.set("marL", str(Inches(0.35)))
            ppr.set("indent", str(-Inches(0.35)))
            bullet_char = ppr.makeelement(qn("a:buChar"), {"char": "•"})
            ppr.insert_element_before(bullet_char, "a:buBlip", "a:tabLst", "a:defRPr", "a:extLst")


def _every_label(axis: CategoryAxis) -> None:
    """Name every bar (PowerPoint and LibreOffice skip labels of a crowded axis by themselves)."""
    ax = axis._element
    skip = ax.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    ax.insert_element_before(skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")


def _size(lines: list[str], width_in: float, height_in: float, top: int = 24) -> int:
    """The largest font (points, down to 14) at which the wrapped lines fit the box."""
    for size in range(top, 13, -2):
        per_line = max(1, int(width_in * 72 / (size * 0.52)))  # average character width of Arial
        rows = sum(-(-max(1, len(line)) // per_line) for line in lines)
        if rows * size * 1.2 / 72 + len(lines) * 6 / 72 <= height_in:
            return size
    return 14


def _textbox(slide: PptxSlide, left: int, top: int, width: int, height: int) -> Shape:
    return slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _length(value: object) -> float:
    """Bar length of a chart cell; a hidden count gets none."""
    return float(value) if isinstance(value, int | float) and not pd.isna(value) else 0.0


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
