"""The sections of the effects report (K10.1), once: the page, the PDF and the XLSX iterate over SECTIONS.

A section names its table (a builder over the EffectsReport), its chart on the page (a builder
over that table, or None) and how the PDF lays it out. Numbers (1., 2., …) are derived from the
order: the page numbers every section, the PDF every section with a heading of its own.

Adding a section is one edit: append a Section here. The PDF then draws its table (and bars of
its columns when it has a chart) under a numbered heading, unless `pdf` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from kooperacja.report import network_section

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from kooperacja.report.effects import EffectsReport

TableBuilder = Callable[["EffectsReport"], "pd.DataFrame"]
ChartBuilder = Callable[["pd.DataFrame"], "go.Figure"]
PdfBody = Callable[[Any, "EffectsReport", "Section"], None]


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the page's subheading and the XLSX sheet
    table: TableBuilder
    chart: ChartBuilder | None = None  # the page's chart over the table (drawn when it has rows)
    pdf_title: str | None = None  # the PDF's heading when it differs from `title`
    pdf_continues: bool = False  # the PDF shows it under the previous section's heading, unnumbered
    pdf_new_page: bool = False  # the PDF starts a page with it
    pdf: PdfBody | None = None  # the PDF's own layout; None: the table (and bars when charted)

    @property
    def heading(self) -> str:
        return self.pdf_title or self.title


def bars(*columns: str) -> ChartBuilder:
    """The page's horizontal bars of `columns` (every column after the first when none named)."""

    def build(table: pd.DataFrame) -> go.Figure:
        from kooperacja.charts import report as report_charts

        return report_charts.bars(table, list(columns) or None)

    return build


def _pdf(name: str) -> PdfBody:
    """A layout of kooperacja.report.pdf, imported when the PDF is drawn (fpdf2 only then)."""

    def draw(doc: Any, report: EffectsReport, section: Section) -> None:
        from kooperacja.report import pdf

        getattr(pdf, name)(doc, report, section)

    return draw


SECTIONS: tuple[Section, ...] = (
    Section(
        "pilot",
        "Gminy i powiaty w pilotażu",
        attrgetter("pilot"),
        bars(),
        pdf_title="Gminy i powiaty w pilotażu według wariantu modelu",
        pdf_new_page=True,
        pdf=_pdf("pilot_body"),
    ),
    Section(
        "steps",
        "Kroki zrobione wobec planu",
        attrgetter("steps"),
        bars("W planie do dziś", "Zrobione", "Po terminie"),
        pdf_title="Kroki K1–K10: zrobione wobec planu",
        pdf=_pdf("steps_body"),
    ),
    Section("gminy", "Postęp gmin", attrgetter("gminy"), pdf_new_page=True, pdf=_pdf("gminy_body")),
    Section(
        "pzk",
        "Instytucje PZK według sektorów",
        attrgetter("pzk"),
        bars("Instytucje"),
        pdf_title="Instytucje w Partnerskich Zespołach Kooperacji według sektorów",
        pdf_new_page=True,
        pdf=_pdf("pzk_body"),
    ),
    Section(
        "cases",
        "Osoby i rodziny objęte wsparciem",
        attrgetter("cases"),
        bars(),
        pdf_title="Osoby, rodziny i grupy objęte wsparciem",
        pdf=_pdf("cases_body"),
    ),
    Section(
        "closures",
        "Sprawy zakończone według powodu",
        attrgetter("closures"),
        bars(),
        pdf_title="Sprawy zakończone według powodu i osiągnięcie celów",
        pdf=_pdf("closures_body"),
    ),
    Section(
        "evaluation",
        "Osiągnięcie celów (ewaluacja)",
        attrgetter("evaluation"),
        bars(),
        pdf_continues=True,
        pdf=_pdf("evaluation_body"),
    ),
    Section(
        "baskets",
        "Usługi w koszykach",
        attrgetter("baskets"),
        bars(),
        pdf_title="Usługi w indywidualnych koszykach",
        pdf_new_page=True,
        pdf=_pdf("baskets_body"),
    ),
    Section(
        "recommendations",
        "Rekomendacje WZK",
        attrgetter("recommendations"),
        pdf_title="Rekomendacje WZK (krok K10.2)",
        pdf=_pdf("recommendations_body"),
    ),
    Section(
        "breaches",
        "Zapisane naruszenia terminów",
        attrgetter("breaches"),
        bars("Naruszenia"),
        pdf_title="Zapisane naruszenia terminów modelu (minione, poza listą zadań)",
    ),
    Section(
        "network",
        "Współpraca instytucji: przed i po",
        network_section.table,
        bars("Gęstość przed (%)", "Gęstość po (%)"),
        pdf_title="Współpraca instytucji w gminach: przed i po (badanie sieci współpracy)",
        pdf_new_page=True,
        pdf=network_section.pdf_body,
    ),
)


def sections() -> tuple[Section, ...]:
    """The report's sections in order (read on each call, so that an added one shows everywhere)."""
    return SECTIONS


def numbered(items: tuple[Section, ...] | None = None) -> list[tuple[int, Section]]:
    """(page number, section) for every section: 1, 2, … in order."""
    return list(enumerate(sections() if items is None else items, start=1))


def pdf_numbered(items: tuple[Section, ...] | None = None) -> list[tuple[int | None, Section]]:
    """(PDF heading number, section): sections continuing the previous heading get None.

    >>> [n for n, _ in pdf_numbered()]
    [1, 2, 3, 4, 5, 6, None, 7, 8, 9, 10]
    """
    out: list[tuple[int | None, Section]] = []
    n = 0
    for section in sections() if items is None else items:
        if section.pdf_continues:
            out.append((None, section))
        else:
            n += 1
            out.append((n, section))
    return out
