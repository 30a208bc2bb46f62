"""Effects report (K10.1) for the Zarząd Województwa: region or one gmina, charts, PDF and XLSX."""

from __future__ import annotations

import streamlit as st

from kooperacja.model import disclosure
from kooperacja.programme import queries
from kooperacja.report import effects as report
from kooperacja.report import sections
from kooperacja.ui import data, session, widgets
from kooperacja.ui.text import plain

PDF_MIME = "application/pdf"


def _scope() -> str | None:
    pilot = queries.list_pilot_gminy(session.get_conn())
    options = [None, *pilot.terc]
    names = dict(zip(pilot.terc, pilot.name, strict=True))
    return st.selectbox(
        "Zakres raportu",
        options,
        key="raport_scope",
        format_func=lambda t: "Całe województwo" if t is None else f"Gmina {names[t]}",
        **widgets.SELECT,
    )


def render() -> None:
    actor = session.require_page("raport")
    st.title("Efekty modelu kooperacji")
    terc = _scope()
    with widgets.errors_shown():
        effects = data.report_effects(actor, terc)
        st.caption(plain(effects.title) + ("" if terc is None else f" — {plain(effects.scope)}"))
        left, right = st.columns(2)
        left.download_button(
            "Pobierz PDF",
            data=lambda: report.to_pdf(effects),
            file_name=_file(effects, "pdf"),
            mime=PDF_MIME,
            key="raport_pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
        )
        right.download_button(
            "Pobierz XLSX",
            data=lambda: report.to_xlsx(effects),
            file_name=_file(effects, "xlsx"),
            mime=widgets.XLSX_MIME,
            key="raport_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )
        if effects.suppressed:
            st.info(disclosure.NOTE + ".")
        columns = st.columns(len(effects.headline))
        for column, (label, value) in zip(columns, effects.headline.items(), strict=True):
            with column:
                widgets.metric(label, value)
        for n, section in sections.numbered():  # the chart (if any) over the section's table
            table = section.table(effects)
            st.subheader(f"{n}. {section.title}")
            if section.chart is not None and len(table):
                st.plotly_chart(section.chart(table), key=f"raport_chart_{n}", width="stretch")
            widgets.table(table, f"raport_table_{n}", f"raport_{n}")


def _file(effects: report.EffectsReport, ext: str) -> str:
    scope = effects.terc or "wojewodztwo"
    return f"efekty_{scope}_{effects.today:%Y-%m-%d}.{ext}"


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("raport")
