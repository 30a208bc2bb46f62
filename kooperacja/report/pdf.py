"""The effects report as an A4 PDF: fpdf2 with a packaged Unicode font, charts and the map as vectors.

No network and no browser: the font comes from the font-source-sans-pro wheel, the charts are
rectangles and text drawn by fpdf2 itself, the region's map polygons of the gmina boundaries in the
warehouse (coloured by progress as on the overview's map) with the powiat outlines over them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from math import cos, radians
from typing import TYPE_CHECKING, Any, cast

import font_source_sans_pro
import pandas as pd
from fpdf import FPDF
from fpdf.enums import Align, RenderStyle, TableCellFillMode, VAlign, XPos, YPos
from fpdf.table import Table

from kooperacja.charts.programme import CONTEXT_COLOR, OUTLINE_COLOR, PROGRESS_COLORS, PROGRESS_ORDER
from kooperacja.model import disclosure
from kooperacja.programme.queries import PROGRESS_LABELS

if TYPE_CHECKING:
    from kooperacja.report.effects import EffectsReport
    from kooperacja.report.region_map import RegionMap
    from kooperacja.report.sections import Section

FONT = "SourceSans"
BLUE, GREEN, ORANGE, RED, GREY = "#0072B2", "#009E73", "#E69F00", "#D55E00", "#BBBBBB"  # Okabe–Ito
INK, MUTED, RULE = "#222222", "#666666", "#DDDDDD"
MARGIN = 18
WIDTH = 210 - 2 * MARGIN


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class _Pdf(FPDF):
    footer_text = ""

    def path(self, points: list[tuple[float, float]], style: str = "D", closed: bool = False) -> None:
        """`polygon(points, style=style)` (`closed`) or `polyline(points)`, the same bytes written
        once per path instead of once per point (the country's map: 54,388 points)."""
        k, h = self.k, self.h
        ops = [f"{x * k:.2f} {(h - y) * k:.2f} l" for x, y in points]
        if ops:
            ops[0] = ops[0][:-1] + "m"
            self._out("\n".join(ops))
        if closed:
            self._out(" h")
        self._out(f" {RenderStyle.coerce(style).operator}")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*_rgb(MUTED))
        self.cell(WIDTH / 2, 5, self.footer_text)
        self.cell(WIDTH / 2, 5, f"Strona {self.page_no()} z {{nb}}", align="R")


def _new_pdf(report: EffectsReport) -> _Pdf:
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    files = font_source_sans_pro.font_files_ttf
    pdf.add_font(FONT, "", files["SourceSansPro"])
    pdf.add_font(FONT, "B", files["SourceSansProBold"])
    pdf.set_title(report.title)
    pdf.set_author(f"ROPS — {report.region}")
    pdf.set_creator("Kooperacja")
    pdf.footer_text = f"{report.scope} · stan na {report.today:%d.%m.%Y}"
    return pdf


def _text(
    pdf: FPDF, text: str, size: float = 10, bold: bool = False, color: str = INK, height: float | None = None
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*_rgb(color))
    pdf.multi_cell(WIDTH, height or size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    _text(pdf, text, 13, bold=True, color=BLUE)
    pdf.ln(1)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _table(pdf: FPDF, df: pd.DataFrame, widths: tuple[float, ...] | None = None, size: float = 8.5) -> None:
    """A table with a bold header row; the first column left-aligned, numbers right-aligned."""
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*_rgb(INK))
    pdf.set_draw_color(*_rgb(RULE))
    pdf.set_fill_color(255, 255, 255)  # fpdf2 paints cells with the current fill colour otherwise
    widths = widths or (3.0, *[1.0] * (len(df.columns) - 1))
    align = [
        "LEFT",
        *[
            "RIGHT" if pd.api.types.is_numeric_dtype(df[c]) or _counts(df[c]) else "LEFT"
            for c in df.columns[1:]
        ],
    ]
    table = _Table(
        pdf,
        col_widths=widths,
        text_align=cast(Any, tuple(align)),  # one per column (fpdf2 takes a sequence; typed one)
        line_height=size * 0.55,
        headings_style=_header_style(),
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode=TableCellFillMode.NONE,
        width=WIDTH,
    )
    header = table.row()
    for col in df.columns:
        header.cell(str(col))
    for values in df.itertuples(index=False):
        row = table.row()
        for value in values:
            row.cell(_cell_text(value))
    table.render()  # what `pdf.table()` does when its block ends
    pdf.ln(2)


class _Table(Table):
    """fpdf2's table, which lays every cell's text out twice (a dry run for the row's height, then
    the drawing) with its line breaker, a character at a time: a body cell whose text fits on one
    line is one line high without the dry run, and its line is written as `cell` writes it, after
    fpdf2 has drawn the cell's border. The pages are the same to the pixel (checked at 150 dpi); the
    national report's 226 late gminy take half the time (1,890 -> 895 ms side by side, loaded)."""

    def _render_table_cell(
        self,
        i: int,
        j: int,
        cell: Any,
        row_height: float,
        cell_height_info: Any = None,
        cell_x_positions: Any = None,
        **kwargs: Any,
    ) -> tuple[bool, float, float]:
        if i < self._num_heading_rows or kwargs or not self._one_line(i, j, cell):
            return super()._render_table_cell(
                i, j, cell, row_height, cell_height_info, cell_x_positions, **kwargs
            )
        if cell_height_info is None:
            return False, 0, float(row_height)
        # Drawn as fpdf2 draws it: its border and fill (the cell without its text), then the one line
        # as `multi_cell` would lay it out, centred in the row's height.
        cells, blank = self.rows[i].cells, replace(cell, text="")
        cells[j] = blank  # fpdf2 finds the cell in its row by identity
        try:
            super()._render_table_cell(i, j, blank, row_height, cell_height_info, cell_x_positions)
        finally:
            cells[j] = cell
        pdf = self._fpdf
        align = self._text_align if isinstance(self._text_align, Align | str) else self._text_align[j]
        dy = (cell_height_info.height - row_height) / 2
        style = self._initial_style  # a body cell without a style of its own, as fpdf2 styles it
        assert style is not None
        pdf.y += dy
        with pdf.use_font_face(style):
            pdf.cell(
                self._get_col_width(i, j, cell.colspan), row_height, cell.text, align=align,
                new_x=XPos.RIGHT, new_y=YPos.TOP,
            )  # fmt: skip
        pdf.y -= dy
        return False, 0, float(row_height)

    def _one_line(self, i: int, j: int, cell: Any) -> bool:
        text = cell.text
        if not text or cell.img or cell.style or cell.padding or self.rows[i].style:
            return False
        if text != text.strip(" ") or any(c.isspace() and c != " " for c in text):
            return False  # a line break, a no-break space (1 410), an outer space: `multi_cell`'s way
        if self._markdown or self._v_align != VAlign.M or cell.v_align or self.rows[i].v_align:
            return False
        pdf = self._fpdf
        room = self._get_col_width(i, j, cell.colspan) - 2 * pdf.c_margin
        return bool(pdf.get_string_width(text) < room - 0.01)  # a hair's room: no rounding decides


def _counts(series: pd.Series) -> bool:
    return all(isinstance(v, int) or disclosure.is_hidden(v) for v in series)


def _header_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", color=_rgb(INK), fill_color=_rgb("#EEF3F8"))


def _number(value: object) -> float | None:
    """A bar length; None for a suppressed count ("<5", "x"), drawn as text only."""
    return float(value) if isinstance(value, int | float) and not pd.isna(value) else None


def _bars(
    pdf: FPDF,
    labels: list[str],
    series: list[tuple[str, list[object], str]],
    label_width: float = 62,
    bar: float = 4.2,
) -> None:
    """Horizontal bars, one group per label, one bar per series, each with its value written."""
    numbers = [_number(v) for _, values, _ in series for v in values]
    top = max([n for n in numbers if n is not None] + [1.0])
    plot = WIDTH - label_width - 12
    if len(series) > 1:
        x = pdf.l_margin + label_width
        pdf.set_font(FONT, "", 8)
        for name, _, color in series:
            pdf.set_fill_color(*_rgb(color))
            pdf.rect(x, pdf.get_y() + 1, 3, 3, style="F")
            pdf.set_xy(x + 4, pdf.get_y())
            pdf.set_text_color(*_rgb(INK))
            pdf.cell(pdf.get_string_width(name) + 2, 5, name)
            x += pdf.get_string_width(name) + 10
        pdf.ln(6)
    group = bar * len(series) + 2.2
    if pdf.get_y() + group * len(labels) > pdf.h - 20:
        pdf.add_page()
    for i, label in enumerate(labels):
        y = pdf.get_y()
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*_rgb(INK))
        pdf.set_xy(pdf.l_margin, y + (group - 2.2) / 2 - 2.2)
        pdf.cell(label_width - 2, 4.4, _fit(pdf, label, label_width - 3), align="R")
        for k, (_, values, color) in enumerate(series):
            value = values[i]
            length = (_number(value) or 0) / top * plot
            by = y + k * bar
            if length:
                pdf.set_fill_color(*_rgb(color))
                pdf.rect(pdf.l_margin + label_width, by + 0.4, length, bar - 0.8, style="F")
            pdf.set_font(FONT, "", 7.5)
            pdf.set_xy(pdf.l_margin + label_width + length + 1, by)
            pdf.cell(12, bar, _cell_text(value))
        pdf.set_draw_color(*_rgb(MUTED))
        pdf.line(pdf.l_margin + label_width, y, pdf.l_margin + label_width, y + group - 2.2)
        pdf.set_y(y + group)
    pdf.ln(2)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _title_page(pdf: _Pdf, report: EffectsReport) -> None:
    pdf.add_page()
    pdf.set_y(45)
    _text(pdf, "Informacja dla Zarządu Województwa (krok K10.1 modelu kooperacji)", 11, color=MUTED)
    pdf.ln(3)
    _text(pdf, "Efekty modelu kooperacji", 28, bold=True, color=BLUE, height=12)
    _text(pdf, f"{report.region}, stan na {report.today:%d.%m.%Y}", 16, height=8)
    if report.terc:
        pdf.ln(2)
        _text(pdf, report.scope, 13, bold=True, height=7)
    pdf.ln(12)
    items = list(report.headline.items())
    box_w, box_h, cols = (WIDTH - 8) / 3, 24, 3
    y0 = pdf.get_y()
    for n, (label, value) in enumerate(items):
        x = pdf.l_margin + (n % cols) * (box_w + 4)
        y = y0 + (n // cols) * (box_h + 4)
        pdf.set_fill_color(*_rgb("#EEF3F8"))
        pdf.rect(x, y, box_w, box_h, style="F")
        pdf.set_xy(x + 3, y + 2)
        pdf.set_font(FONT, "B", 20)
        pdf.set_text_color(*_rgb(BLUE))
        pdf.cell(box_w - 6, 11, _cell_text(value))
        pdf.set_xy(x + 3, y + 14)
        pdf.set_font(FONT, "", 9.5)
        pdf.set_text_color(*_rgb(INK))
        pdf.cell(box_w - 6, 6, label)
    pdf.set_y(y0 + ((len(items) + cols - 1) // cols) * (box_h + 4) + 8)
    note = (
        "Dane z hurtowni ROPS: sprawy prowadzone pod kodem, bez danych osobowych. "
        "Kroki K1–K10 według harmonogramu każdej gminy."
    )
    if report.suppressed:
        note += f" {disclosure.NOTE}, aby nikogo nie dało się rozpoznać."
    _text(pdf, note, 9.5, color=MUTED, height=5)


# The sections' own layouts (kooperacja.report.sections names them); each comes after its heading.


def pilot_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _table(pdf, r.pilot, (3, 1, 1))
    _bars(
        pdf,
        list(r.pilot.iloc[:, 0]),
        [("Gminy", list(r.pilot["Gminy"]), BLUE), ("Powiaty", list(r.pilot["Powiaty"]), GREY)],
    )


def steps_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _text(
        pdf, "Podkroki gmin, których termin w harmonogramie już minął, i podkroki zrobione.", 9, color=MUTED
    )
    pdf.ln(1)
    steps = r.steps
    _bars(
        pdf,
        list(steps["Krok"]),
        [
            ("W planie do dziś", list(steps["W planie do dziś"]), GREY),
            ("Zrobione", list(steps["Zrobione"]), GREEN),
            ("Po terminie", list(steps["Po terminie"]), RED),
        ],
        label_width=20,
        bar=3.2,
    )
    _table(pdf, steps, (1.2, 1, 1, 1, 1))


GMINY_LISTED = 60  # above this, the PDF sums the gminy per area and lists only the late and stalled
AREAS_PLURAL = {"Województwo": "województw", "Powiat": "powiatów"}


MAP_Y, MAP_H = 34.0, 190.0  # the map's box on its page (mm), under the section's heading


def map_projection(m: RegionMap) -> Callable[[float, float], tuple[float, float]]:
    """(lon, lat) -> (x, y) in mm on the map's page: the region fitted into the map's box,
    longitudes shortened by the cosine of the middle latitude (as a region map looks right)."""
    lons = [p[0] for _, _, rings in m.shapes for ring in rings for p in ring]
    lats = [p[1] for _, _, rings in m.shapes for ring in rings for p in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    kx = cos(radians((south + north) / 2))
    scale = min(WIDTH / max((east - west) * kx, 1e-9), MAP_H / max(north - south, 1e-9))
    x0 = MARGIN + (WIDTH - (east - west) * kx * scale) / 2
    y0 = MAP_Y + (MAP_H - (north - south) * scale) / 2
    return lambda lon, lat: (x0 + (lon - west) * kx * scale, y0 + (north - lat) * scale)


def _map(pdf: _Pdf, m: RegionMap) -> None:
    """The gminy coloured by progress (grey: outside the pilot), powiat outlines, a legend."""
    project = map_projection(m)
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.1)
    for _, state, rings in m.shapes:
        pdf.set_fill_color(*_rgb(PROGRESS_COLORS[state] if state else CONTEXT_COLOR))
        for ring in rings:
            pdf.path([project(lon, lat) for lon, lat in ring], style="DF", closed=True)
    pdf.set_draw_color(*_rgb(OUTLINE_COLOR))
    pdf.set_line_width(0.25)
    for ring in m.outlines:
        pdf.path([project(lon, lat) for lon, lat in ring])
    pdf.set_line_width(0.2)
    counts = m.counts()
    legend = [(PROGRESS_COLORS[s], PROGRESS_LABELS[s], counts[s]) for s in PROGRESS_ORDER if counts.get(s)]
    if counts.get(None):
        legend.append((CONTEXT_COLOR, "poza pilotażem", counts[None]))
    x, y = pdf.l_margin, MAP_Y + MAP_H + 4
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*_rgb(INK))
    for color, label, n in legend:
        pdf.set_fill_color(*_rgb(color))
        pdf.rect(x, y, 4, 4, style="F")
        text = f"{label}: {n}"
        pdf.set_xy(x + 5, y - 0.5)
        pdf.cell(pdf.get_string_width(text) + 1, 5, text)
        x += pdf.get_string_width(text) + 12
    pdf.set_xy(pdf.l_margin, y + 7)
    note = f"Kolory jak na mapie przeglądu regionu; linie: granice {m.outlined} (PRG, GUGiK)."
    _text(pdf, note, 8.5, color=MUTED)


def gminy_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    if r.region_map is not None:
        _map(pdf, r.region_map)
        pdf.add_page()
    if len(r.gminy) > GMINY_LISTED:
        _gminy_summary(pdf, r)
        return
    _table(pdf, r.gminy, (2.2, 2.4, 2.8, 1.2, 1.3, 1.2, 1.5, 1.4), size=8)
    _bars(
        pdf,
        list(r.gminy["Gmina"]),
        [
            ("W planie do dziś", list(r.gminy["W planie do dziś"]), GREY),
            ("Zrobione", list(r.gminy["Podkroki zrobione"]), GREEN),
        ],
        label_width=40,
        bar=3.2,
    )


def _gminy_summary(pdf: _Pdf, r: EffectsReport) -> None:
    """A large region (the country: ~2,500 gminy, thousands of pages listed): areas, then the late."""
    areas = r.areas
    late = r.gminy[r.gminy["Stan"] != PROGRESS_LABELS["on_time"]].sort_values(
        ["Opóźnienie (dni)", "Gmina"], ascending=[False, True]
    )
    _text(
        pdf,
        f"{len(r.gminy)} gmin w pilotażu, podsumowanych według {AREAS_PLURAL[areas.columns[0]]}; "
        f"poniżej gminy opóźnione i zatrzymane ({len(late)}). Wszystkie gminy są w pliku XLSX raportu.",
        9,
        color=MUTED,
    )
    pdf.ln(1)
    _table(pdf, areas, (2.6, 1, 1, 1, 1, 1.2, 1.2), size=8)
    _bars(
        pdf,
        list(areas.iloc[:, 0]),
        [
            ("W planie do dziś", list(areas["W planie do dziś"]), GREY),
            ("Zrobione", list(areas["Podkroki zrobione"]), GREEN),
        ],
        label_width=40,
        bar=3.2,
    )
    if pdf.get_y() > pdf.h - 60:  # the heading with at least a few rows under it
        pdf.add_page()
    _heading(pdf, "Gminy opóźnione i zatrzymane")
    if late.empty:
        _text(pdf, "Wszystkie gminy realizują harmonogram w terminie.", 10, color=MUTED)
    else:
        _table(pdf, late, (2.2, 2.4, 2.8, 1.2, 1.3, 1.2, 1.5, 1.4), size=8)


def pzk_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _bars(
        pdf, list(r.pzk["Sektor"]), [("Instytucje", list(r.pzk["Instytucje"]), BLUE)], label_width=80, bar=3.6
    )


def cases_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _table(pdf, r.cases, (2, 1, 1, 1))


def closures_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _text(pdf, section.title, 9.5, bold=True)
    _bars(pdf, list(r.closures.iloc[:, 0]), [("Sprawy", list(r.closures["Sprawy"]), ORANGE)], bar=3.8)


def evaluation_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _text(pdf, "Sprawy po ewaluacji według osiągnięcia celu", 9.5, bold=True)
    _bars(pdf, list(r.evaluation.iloc[:, 0]), [("Sprawy", list(r.evaluation["Sprawy"]), GREEN)], bar=3.8)


def baskets_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    if r.baskets.empty:
        _text(pdf, "Brak usług przypisanych do spraw.", 10, color=MUTED)
        return
    _bars(
        pdf,
        list(r.baskets.iloc[:, 0]),
        [("Sprawy", list(r.baskets["Sprawy"]), BLUE), ("Usługi", list(r.baskets["Usługi"]), GREY)],
        label_width=62,
        bar=3.2,
    )
    _table(pdf, r.baskets, (3, 1, 1))


def recommendations_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    _table(pdf, r.recommendations, (2.4, 1, 1, 1, 1))
    if r.terc:
        _text(pdf, "Rekomendacje dotyczą całego województwa.", 9, color=MUTED)


def default_body(pdf: _Pdf, r: EffectsReport, section: Section) -> None:
    """A section without a layout of its own: bars of its counts when it is charted, then its table."""
    table = section.table(r)
    if section.chart is not None and len(table):
        colors = [BLUE, GREEN, ORANGE, RED, GREY]
        series = [
            (str(col), list(table[col]), colors[k % len(colors)]) for k, col in enumerate(table.columns[1:])
        ]
        _bars(pdf, [str(v) for v in table.iloc[:, 0]], series)
    _table(pdf, table)


def render(report: EffectsReport) -> bytes:
    """Title page with key figures, then the sections of kooperacja.report.sections, numbered in order."""
    from kooperacja.report import sections

    pdf = _new_pdf(report)
    _title_page(pdf, report)
    for number, section in sections.pdf_numbered():
        if section.pdf_new_page:
            pdf.add_page()
        if number is not None:
            _heading(pdf, f"{number}. {section.heading}")
        (section.pdf or default_body)(pdf, report, section)
    return bytes(pdf.output())
