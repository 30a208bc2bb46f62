"""The cooperation network's read side on the pages: one gmina's graph and measures, the region table,
the isolated members under the PZK, the WZK slide's figures drawn in the meeting mode.

The reads are `kooperacja.network.queries`; the pictures `kooperacja.charts.network`. Every text from
the warehouse goes through `plain` (Markdown) or the chart's own escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kooperacja import warehouse
from kooperacja.charts import network as charts
from kooperacja.charts.network import change_text, measure_text
from kooperacja.model import links as model_links
from kooperacja.model import vocab
from kooperacja.model.formatting import fmt_date, is_missing, plural, row_tuples
from kooperacja.network import measures as network_measures
from kooperacja.network import queries as network
from kooperacja.ui import data, session, widgets
from kooperacja.ui.text import plain

BASELINE, ENDLINE = "diagnoza", "ewaluacja"
BOTH = "both"  # the switch's value: baseline and endline side by side


def wave_label(row) -> str:
    """A wave in words: "diagnoza (badanie wyjściowe), 12.03.2025"."""
    return f"{vocab.WAVE_KINDS.get(row.kind, row.kind)}, {fmt_date(row.held_on)}"


def baseline_endline(waves: pd.DataFrame) -> tuple[int | None, int | None]:
    """The wave ids compared: the first baseline (diagnoza) and the last endline (ewaluacja)."""
    ordered = waves.sort_values(["held_on", "wave_id"])
    base = ordered[ordered.kind == BASELINE]
    end = ordered[ordered.kind == ENDLINE]
    return (
        int(base.wave_id.iloc[0]) if len(base) else None,
        int(end.wave_id.iloc[-1]) if len(end) else None,
    )


@dataclass
class View:
    """What the tab "Sieć" draws for one choice of waves (built once per data version, then cached)."""

    figures: list[tuple[str, int, go.Figure]]  # (title, wave id, graph)
    measures: pd.DataFrame | None = None  # one wave: its measures with their explanations
    change: pd.DataFrame | None = None  # both waves: the change of every measure
    change_figure: go.Figure | None = None
    isolated: tuple[str, ...] = ()
    sectors: pd.DataFrame | None = None  # the sector × sector matrix of the last wave shown


def measures_table(m: network_measures.Measures) -> pd.DataFrame:
    """One wave's measures: the measure, its value and what it means (one Polish sentence)."""
    rows = [
        (network_measures.LABELS[name], measure_text(name, value), network_measures.EXPLANATIONS[name])
        for name, value in m.scalars().items()
    ]
    return pd.DataFrame(rows, columns=["Miara", "Wartość", "Co to znaczy"])


def change_table(change: pd.DataFrame) -> pd.DataFrame:
    """`network.queries.change` with Polish headers and each value as the tables show it."""
    return pd.DataFrame(
        {
            "Miara": change.label,
            "Przed (diagnoza)": [
                measure_text(m, v) for m, v in zip(change.measure, change.baseline, strict=True)
            ],
            "Po (ewaluacja)": [
                measure_text(m, v) for m, v in zip(change.measure, change.endline, strict=True)
            ],
            "Zmiana": [change_text(m, v) for m, v in zip(change.measure, change.change, strict=True)],
            "Co to znaczy": change.explanation,
        }
    )


def _sector_table(m: network_measures.Measures) -> pd.DataFrame | None:
    matrix = m.sector_matrix
    if not len(matrix):
        return None
    shown = matrix.astype("object").where(matrix != 0, "")
    return shown.rename_axis(index="Sektor (wskazuje)").reset_index()


def build_view(
    conn: duckdb.DuckDBPyConnection,
    terc: str,
    shown: list[tuple[str, int]],
    all_waves: list[int],
    height: int,
) -> View:
    """The graphs of the `shown` waves ((title, wave id)) on one layout over `all_waves` (an institution
    keeps its place in every wave), and the measures of one wave or the change between two."""
    graphs = {w: network.wave_graph(conn, w) for w in all_waves}
    nodes = pd.concat([n for n, _ in graphs.values()]).drop_duplicates("institution_id")
    pos = charts.positions(nodes, pd.concat([e for _, e in graphs.values()]))
    figures = [(title, w, charts.network_figure(*graphs[w], pos=pos, height=height)) for title, w in shown]
    last = network.wave_measures(conn, shown[-1][1])
    view = View(figures, isolated=last.isolated_names, sectors=_sector_table(last))
    if len(shown) == 1:
        view.measures = measures_table(last)
    else:
        change = network.change(conn, terc)
        view.change, view.change_figure = change_table(change), charts.change_bars(change)
    return view


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_view(
    path: str, token: str, terc: str, shown: tuple[tuple[str, int], ...], waves: tuple[int, ...], height: int
) -> View:
    return build_view(session.get_conn(), terc, list(shown), list(waves), height)


def _draw(view: View) -> None:
    pair = len(view.figures) == 2
    columns = st.columns(2) if pair else [st.container()]
    for column, (title, wave_id, fig) in zip(columns, view.figures, strict=True):
        with column:
            if pair:
                st.markdown(f"**{plain(title)}**")
            st.plotly_chart(fig, key=f"net_graph_{wave_id}", width="stretch")
    if view.change is not None and view.change_figure is not None:
        st.subheader("Zmiana miar: przed i po")
        st.plotly_chart(view.change_figure, key="net_change_chart", width="stretch")
        widgets.table(view.change, "net_change_table", "zmiana_miar_sieci")
    if view.measures is not None:
        st.subheader("Miary sieci")
        widgets.table(view.measures, "net_measures_table", "miary_sieci")
    if view.isolated:
        st.markdown(
            f"**Bez powiązań ({plural(len(view.isolated), 'instytucja', 'instytucje', 'instytucji')}):** "
            + ", ".join(plain(n) for n in view.isolated)
        )
    if view.sectors is not None:
        with st.expander("Sektory: kto z kim współpracuje"):
            st.caption(network_measures.EXPLANATIONS["sector_matrix"])
            widgets.table(view.sectors, "net_sectors_table", "sektory")


def network_tab(conn: duckdb.DuckDBPyConnection, terc: str, waves: pd.DataFrame) -> None:
    """The tab "Sieć": the graph of a wave (or baseline and endline side by side), its measures and
    the change of every measure between the two."""
    if waves.empty:
        st.info("Gmina nie ma jeszcze badania współpracy (dodaje się je w zakładce „Badanie współpracy”).")
        return
    base, end = baseline_endline(waves)
    labels: dict[object, str] = {int(r.wave_id): wave_label(r) for r in row_tuples(waves, index=False)}
    options: list[object] = ([BOTH] if base and end else []) + list(labels)
    names: dict[object, str] = {BOTH: "przed i po, obok siebie"}
    names.update(labels)
    shown = st.radio(
        "Które badanie pokazać",
        options,
        key=f"net_show_{terc}",
        format_func=names.__getitem__,
        horizontal=True,
    )
    st.caption(
        "Kolor i kształt: sektor; wielkość: liczba powiązań; grubość linii: jak często instytucje "
        "współpracują. Najedź na instytucję, by zobaczyć jej nazwę. Układ jest stały: instytucja stoi "
        "w tym samym miejscu w każdym badaniu."
    )
    if shown == BOTH and base and end:
        chosen: tuple[tuple[str, int], ...] = (("Przed: " + labels[base], base), ("Po: " + labels[end], end))
    else:
        chosen = ((labels[shown], int(shown)),)  # type: ignore[call-overload]
    path = str(warehouse.db_path().resolve())
    waves_all = tuple(int(w) for w in waves.wave_id)
    view = _cached_view(
        path, data.token("network", terc), terc, chosen, waves_all, 600 if len(chosen) == 2 else 640
    )
    _draw(view)


def _arrow(measure: str, before: object, after: object) -> str:
    return f"{measure_text(measure, before)} → {measure_text(measure, after)}"


def region_rows(table: pd.DataFrame) -> pd.DataFrame:
    """`network.queries.region_table` as the page shows it: before → after, sectors named, a link."""
    return pd.DataFrame(
        {
            "Gmina": table.gmina,
            "Diagnoza": table.baseline_on,
            "Ewaluacja": table.endline_on,
            "Gęstość: przed → po": [
                _arrow("density", b, a)
                for b, a in zip(table.density_before, table.density_after, strict=True)
            ],
            "Bez powiązań: przed → po": [
                _arrow("isolated", b, a)
                for b, a in zip(table.isolated_before, table.isolated_after, strict=True)
            ],
            "Sektory bez współpracy z innymi": [_sectors(v) for v in table.sectors_never_linked],
            "Sieć gminy": [model_links.url("siec", t) for t in table.terc],
        }
    )


def _sectors(value: object) -> str:
    return "—" if is_missing(value) or not str(value).strip() else str(value)


def region_tab(conn: duckdb.DuckDBPyConnection) -> None:
    """The tab "Region": per gmina, density before → after, isolated institutions, sectors never linked."""
    table = network.region_table(conn)
    measured = table[table.baseline_on.notna()] if len(table) else table
    both = measured[measured.endline_on.notna()] if len(measured) else measured
    st.caption(
        f"{plural(len(measured), 'gmina ma', 'gminy mają', 'gmin ma')} badanie wyjściowe, "
        f"{plural(len(both), 'gmina', 'gminy', 'gmin')} także końcowe. "
        "Link „Otwórz” prowadzi do sieci gminy."
    )
    widgets.table(region_rows(table), "net_region_table", "siec_region", links={"Sieć gminy": "Otwórz"})


def isolated_note(conn: duckdb.DuckDBPyConnection, terc: str) -> None:
    """Under the PZK: which institutions had no link in the gmina's latest cooperation survey."""
    found = network.isolated_members(conn, terc)
    if found is None or len(found) == 0:
        return
    names = ", ".join(plain(n) for n in found["name"])
    st.markdown(
        f"**Bez powiązań w ostatnim badaniu współpracy "
        f"({plural(len(found), 'instytucja', 'instytucje', 'instytucji')}):** {names} · "
        f"[sieć współpracy gminy]({model_links.url('siec', terc)})"
    )
