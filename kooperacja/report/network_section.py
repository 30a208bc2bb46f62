"""The effects report's section "Współpraca instytucji: przed i po": the region's networks, before and after.

One table (read once per report from `network.queries.region_table`): the region's mean density and
isolated institutions over the gminy measured before (diagnoza) and after (ewaluacja), then the three
gminy whose network grew densest and the three that improved least. Density is shown as a percentage
of the possible links, so that the page, the XLSX and the PDF read the same numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from kooperacja.model.formatting import fmt_number, is_missing, plural

if TYPE_CHECKING:
    from kooperacja.report.effects import EffectsReport
    from kooperacja.report.sections import Section

ROW = "Gmina"
BEFORE, AFTER, CHANGE = "Gęstość przed (%)", "Gęstość po (%)", "Zmiana gęstości (pp)"
ISOLATED_BEFORE, ISOLATED_AFTER = "Bez powiązań przed", "Bez powiązań po"
COLUMNS = [ROW, BEFORE, AFTER, CHANGE, ISOLATED_BEFORE, ISOLATED_AFTER]
SHOWN = 3  # gminy that improved most and least
MOST, LEAST = "Największa poprawa", "Najmniejsza poprawa"
NOTE = (
    "Gęstość sieci: odsetek możliwych powiązań między instytucjami gminy, które istnieją (badanie "
    "współpracy: diagnoza przed, ewaluacja po). Bez powiązań: instytucje, które nie wskazały żadnej "
    "współpracy i których nikt nie wskazał."
)


def measured(region: pd.DataFrame) -> pd.DataFrame:
    """The gminy with both a baseline and an endline measured, with the change of density."""
    both = region[region.density_before.notna() & region.density_after.notna()].copy()
    both["change"] = both.density_after.astype(float) - both.density_before.astype(float)
    return both.sort_values(["change", "gmina"], ascending=[False, True], kind="stable")


def _pct(value: object) -> float | None:
    return None if is_missing(value) else round(100 * float(value), 1)  # type: ignore[arg-type]


def _int(value: object) -> int | None:
    return None if is_missing(value) else int(value)  # type: ignore[call-overload]


def _row(label: str, before: object, after: object, iso_before: object, iso_after: object) -> dict[str, Any]:
    b, a = _pct(before), _pct(after)
    return {
        ROW: label,
        BEFORE: b,
        AFTER: a,
        CHANGE: None if a is None or b is None else round(a - b, 1),
        ISOLATED_BEFORE: _int(iso_before),
        ISOLATED_AFTER: _int(iso_after),
    }


def build(region: pd.DataFrame, terc: str | None = None) -> pd.DataFrame:
    """The section's table from `region_table` (one gmina's row alone when `terc` is given)."""
    if terc is not None:
        one = region[region.terc == terc]
        rows = [
            _row(f"Gmina {r.gmina}", r.density_before, r.density_after, r.isolated_before, r.isolated_after)
            for r in one.itertuples(index=False)
            if not (is_missing(r.density_before) and is_missing(r.density_after))
        ]
        return pd.DataFrame(rows, columns=COLUMNS)
    both = measured(region)
    if both.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = [
        _row(
            f"Region: {plural(len(both), 'gmina zbadana', 'gminy zbadane', 'gmin zbadanych')} przed i po",
            both.density_before.astype(float).mean(),
            both.density_after.astype(float).mean(),
            both.isolated_before.astype(float).sum(),
            both.isolated_after.astype(float).sum(),
        )
    ]
    best = both.head(min(SHOWN, (len(both) + 1) // 2))  # a small region: the gminy split in two
    worst = both.iloc[len(best) :].tail(SHOWN).iloc[::-1]
    for label, chosen in ((MOST, best), (LEAST, worst)):
        rows += [
            _row(
                f"{label}: {r.gmina}", r.density_before, r.density_after, r.isolated_before, r.isolated_after
            )
            for r in chosen.itertuples(index=False)
        ]
    return pd.DataFrame(rows, columns=COLUMNS)


def load(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> pd.DataFrame:
    """The section's table, read from the warehouse (the report's builder calls it once)."""
    from kooperacja.network import queries

    return build(queries.region_table(conn), terc)


def table(report: EffectsReport) -> pd.DataFrame:
    """The Section's table builder: what `load` read for this report."""
    return report.network


def summary(frame: pd.DataFrame) -> list[str]:
    """The section in sentences (the PDF under its heading, the WZK slide)."""
    if frame.empty:
        return ["Żadna gmina nie ma jeszcze badania współpracy przed i po."]
    head = frame.iloc[0]
    return [
        f"{head[ROW]}: gęstość sieci {_text(head[BEFORE])}% → {_text(head[AFTER])}%, "
        f"instytucje bez powiązań {_text(head[ISOLATED_BEFORE])} → {_text(head[ISOLATED_AFTER])}."
    ]


def _text(value: object) -> str:
    if is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    return fmt_number(number, 0 if number.is_integer() else 1)


def pdf_body(doc: Any, report: EffectsReport, section: Section) -> None:
    """The PDF: a sentence of the region's figures, density bars before and after, the table."""
    from kooperacja.report import pdf

    frame = table(report)
    for line in summary(frame):
        pdf._text(doc, line, 10)
    pdf._text(doc, NOTE, 8.5, color=pdf.MUTED, height=4.5)
    doc.ln(1)
    if frame.empty:
        return
    pdf._bars(
        doc,
        [str(v) for v in frame[ROW]],
        [(BEFORE, list(frame[BEFORE]), pdf.GREY), (AFTER, list(frame[AFTER]), pdf.BLUE)],
        label_width=70,
        bar=3.4,
    )
    shown = frame.copy()
    for col in (BEFORE, AFTER, CHANGE):
        shown[col] = [_text(v) for v in frame[col]]
    for col in (ISOLATED_BEFORE, ISOLATED_AFTER):
        shown[col] = [_text(v) for v in frame[col]]
    pdf._table(doc, shown, (3.2, 1, 1, 1.1, 1, 1))


def slide(frame: pd.DataFrame) -> tuple[list[tuple[str, str]], list[str], pd.DataFrame | None]:
    """The WZK meeting's slide of the section: (big numbers, lines, chart of density before/after).

    >>> region = pd.DataFrame({"terc": ["1", "2"], "gmina": ["Aa", "Bb"], "density_before": [0.1, 0.2],
    ...     "density_after": [0.3, 0.2], "isolated_before": [4, 1], "isolated_after": [1, 1]})
    >>> numbers, lines, chart = slide(build(region))
    >>> numbers[1:]
    [('gęstość sieci przed → po', '15% → 25%'), ('instytucje bez powiązań', '5 → 2')]
    >>> lines
    ['Największa poprawa: Aa: 10% → 30%', 'Najmniejsza poprawa: Bb: 20% → 20%']
    """
    if frame.empty or not str(frame.iloc[0][ROW]).startswith("Region"):
        return [("gminy zbadane przed i po", "0")], summary(frame), None
    head = frame.iloc[0]
    gminy = frame.iloc[1:]
    count = re.search(r"\d+", str(head[ROW]))
    numbers = [
        ("gminy zbadane przed i po", count.group(0) if count else str(len(gminy))),
        ("gęstość sieci przed → po", f"{_text(head[BEFORE])}% → {_text(head[AFTER])}%"),
        ("instytucje bez powiązań", f"{_text(head[ISOLATED_BEFORE])} → {_text(head[ISOLATED_AFTER])}"),
    ]
    lines = [f"{r[ROW]}: {_text(r[BEFORE])}% → {_text(r[AFTER])}%" for _, r in gminy.iterrows()]
    chart = frame[[ROW, BEFORE, AFTER]] if len(frame) > 1 else None
    return numbers, lines, chart
