"""Plot builders, DataFrame -> go.Figure: Gantt, map, treemap, PZK coverage and history.

No database access here. Status colours come from rules.STATUS_COLORS (Okabe–Ito), and every status
is also named in words (legend, hover), so colour is never the only carrier of meaning.

plotly reads `<b>`, `<br>`, `<a href>` and entities in every text it draws (hover, ticks, tile and
legend labels): a text from the warehouse goes in through `esc` (HTML-escaped, shown as typed).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from html import escape
from typing import Any, cast
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kooperacja.model import rules, vocab
from kooperacja.model.formatting import fmt_date, is_missing, row_tuples
from kooperacja.model.rules import STATUS_COLORS, STATUS_LABELS, STATUS_ORDER, Status
from kooperacja.programme.queries import PROGRESS_LABELS

# A gmina's progress state in the same code as step statuses; "stalled" (overdue and silent for
# 90 days) gets Okabe–Ito reddish purple, the one colour of that palette not used for a status.
PROGRESS_COLORS = {
    "on_time": STATUS_COLORS[Status.ON_TIME],
    "late": STATUS_COLORS[Status.OVERDUE],
    "stalled": "#CC79A7",
}
PROGRESS_ORDER = ["stalled", "late", "on_time"]
CONTEXT_COLOR = "#EEEEEE"  # gminy outside the pilot, shown for orientation only
PLAN_COLOR = "#D9D9D9"
PLAN_LINE = "#7F7F7F"
MISSING_COLOR = STATUS_COLORS[Status.OVERDUE]
COVERED_LIGHT, COVERED_DARK = "#D6E6F2", STATUS_COLORS[Status.ON_TIME]
TODAY_COLOR = "#222222"
LABEL_CHARS = 36
DAY_MS = 86_400_000
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13}


def esc(value: object) -> str:
    """A text from the warehouse as plotly text: shown as typed, never as markup.

    >>> esc('<a href="http://evil.example">x</a> & <b>')
    '&lt;a href=&quot;http://evil.example&quot;&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    """
    return escape("" if value is None else str(value))


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _as_date(value: object) -> date | None:
    if is_missing(value):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    return value  # type: ignore[return-value]


def substep_label(row) -> str:
    """Y-axis label of a sub-step: number and shortened title, region steps marked as the ROPS's."""
    who = " (ROPS)" if row.level == "region" else ""
    return esc(_short(f"{row.substep} {row.title}")) + who


def _empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(xaxis_visible=False, yaxis_visible=False, height=200, font=FONT)
    return fig


def _bar(
    name: str,
    rows: list[dict],
    color: str,
    group: str,
    line: str | None = None,
) -> go.Bar:
    return go.Bar(
        name=name,
        orientation="h",
        offsetgroup=group,
        y=[r["y"] for r in rows],
        base=[r["start"].isoformat() for r in rows],
        x=[max(1, (r["end"] - r["start"]).days) * DAY_MS for r in rows],
        marker={"color": color, "line": {"color": line or color, "width": 1}},
        customdata=[r["hover"] for r in rows],
        hovertemplate="%{customdata}<extra></extra>",
    )


def _actual_span(r, today: date) -> tuple[date, date] | None:
    """The bar of what actually happened: start to completion (or to today while running / overdue)."""
    started, completed = _as_date(r.started_on), _as_date(r.completed_on)
    due = cast(date, _as_date(r.planned_due))  # every step has a plan
    if completed is not None:
        start = started or min(cast(date, _as_date(r.planned_start)), completed)
        return start, completed + timedelta(days=1)
    if started is not None:
        return started, today + timedelta(days=1)
    if r.status == Status.OVERDUE:
        return due + timedelta(days=1), today + timedelta(days=1)  # the overrun so far
    return None


def _hover(r) -> str:
    lines = [
        f"<b>{esc(r.substep)} {esc(r.title)}</b>",
        f"Plan: {fmt_date(r.planned_start)} – {fmt_date(r.planned_due)}",
        f"Rozpoczęto: {fmt_date(r.started_on) or '—'}",
        f"Zakończono: {fmt_date(r.completed_on) or '—'}",
        f"Status: {esc(r.label)}",
    ]
    if isinstance(r.evidence, str) and r.evidence:
        lines.append(f"Dowody: {esc(_short(r.evidence, 80))}")
    return "<br>".join(lines)


def gantt(plan: pd.DataFrame, today: date, title: str | None = None) -> go.Figure:
    """Plan vs actual per sub-step of one gmina (rows of `queries.gmina_plans`).

    Traces: "Plan" (grey bars), one bar trace per status of the actual bars (status colour, named in
    Polish), one marker trace per status for recurring occurrences (K8), and a dashed today line.
    """
    if plan.empty:
        return _empty("Brak planu dla tej gminy.")
    rows = plan.assign(y=[substep_label(r) for r in plan.itertuples()])
    single = rows[rows.occurrence.isna()]
    recurring = rows[rows.occurrence.notna()]
    plan_rows: list[dict[str, Any]] = []
    actual: dict[Status, list[dict[str, Any]]] = {s: [] for s in STATUS_ORDER}
    for r in row_tuples(single):
        start, end = _as_date(r.planned_start), cast(date, _as_date(r.planned_due)) + timedelta(days=1)
        plan_rows.append({"y": r.y, "start": start, "end": end, "hover": _hover(r)})
        span = _actual_span(r, today)
        if span is not None:
            actual[Status(r.status)].append({"y": r.y, "start": span[0], "end": span[1], "hover": _hover(r)})
    for r in recurring.drop_duplicates("y").itertuples():
        first = recurring[recurring.y == r.y]
        plan_rows.append(
            {
                "y": r.y,
                "start": _as_date(first.planned_start.min()),
                "end": cast(date, _as_date(first.planned_due.max())) + timedelta(days=1),
                "hover": f"<b>{esc(r.substep)} {esc(r.title)}</b><br>powtarzane co kwartał",
            }
        )
    fig = go.Figure()
    fig.add_trace(_bar("Plan", plan_rows, PLAN_COLOR, "plan", line=PLAN_LINE))
    for status in STATUS_ORDER:
        if actual[status]:
            fig.add_trace(
                _bar(
                    STATUS_LABELS[status],
                    actual[status],
                    STATUS_COLORS[status],
                    "actual",
                    line="#333333",
                )
            )
    _add_occurrences(fig, recurring)
    order = list(dict.fromkeys(rows.y))
    _add_today(fig, today)
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        height=max(320, 28 * len(order) + 140),
        title=title,
        font=FONT,
        legend={"orientation": "h", "y": 0, "yanchor": "top", "title": {"text": "Legenda: "}},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(type="date", tickformat="%m.%Y", gridcolor="#EEEEEE", side="top")
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    return fig


def _add_occurrences(fig: go.Figure, recurring: pd.DataFrame) -> None:
    """One diamond per occurrence of a recurring step, at the meeting held or the planned due day."""
    for status in STATUS_ORDER:
        part = recurring[recurring.status == status]
        if part.empty:
            continue
        x = [
            (_as_date(r.completed_on) or cast(date, _as_date(r.planned_due))).isoformat()
            for r in row_tuples(part)
        ]
        hover = [
            f"<b>{esc(r.substep)} {esc(r.title)}</b><br>Kwartał do {fmt_date(r.planned_due)}<br>"
            f"Odbyło się: {fmt_date(r.completed_on) or '—'}<br>Status: {esc(r.label)}"
            for r in row_tuples(part)
        ]
        fig.add_trace(
            go.Scatter(
                name=f"{STATUS_LABELS[status]} (spotkanie)",
                x=x,
                y=list(part.y),
                mode="markers",
                showlegend=True,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                marker={
                    "symbol": "diamond",
                    "size": 13,
                    "color": STATUS_COLORS[status],
                    "line": {"color": "#333333", "width": 1},
                },
            )
        )


def _add_today(fig: go.Figure, today: date) -> None:
    fig.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line={"color": TODAY_COLOR, "width": 2, "dash": "dash"},
        name="dziś",
    )
    fig.add_annotation(
        x=today.isoformat(),
        y=1,
        xref="x",
        yref="paper",
        yanchor="top",
        xanchor="left",
        xshift=4,
        text=f"dziś {fmt_date(today)}",
        showarrow=False,
        font={"size": 12},
        bgcolor="rgba(255,255,255,0.85)",
    )


def _hover_gmina(r) -> str:
    state = PROGRESS_LABELS.get(r.progress_state, r.progress_state)
    step = r.current_step if isinstance(r.current_step, str) else "—"
    delay = f", opóźnienie {rules.days_pl(int(r.delay_days))}" if r.delay_days else ""
    return (
        f"<b>{esc(r.name)}</b> ({esc(r.powiat)})<br>Stan: {esc(state)}{delay}<br>"
        f"Bieżący krok: {esc(step)}<br>"
        f"Wariant: {esc(vocab.VARIANTS.get(r.variant, r.variant))}<br>Animator: {esc(r.animator)}"
    )


# plotly.js fetches a world topojson from cdn.plot.ly for every geo plot, even with the base map
# hidden (plotly.js #6767), and draws nothing when that fails. Hand it an empty topology as a data:
# URL instead ("#" turns the file name plotly appends into a fragment): nothing is downloaded.
_EMPTY_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
_EMPTY_TOPOLOGY = json.dumps(
    {"type": "Topology", "arcs": [],
     "objects": {k: {"type": "GeometryCollection", "geometries": []} for k in _EMPTY_LAYERS}},
    separators=(",", ":"),
)  # fmt: skip
MAP_CONFIG = {"topojsonURL": "data:application/json," + quote(_EMPTY_TOPOLOGY) + "#", "displaylogo": False}


OUTLINE_COLOR = "#555555"  # powiat boundaries over the gminy


def _legend_entry(name: str, color: str) -> go.Scattergeo:
    """A legend swatch with no point of its own (the shapes are all in one trace)."""
    return go.Scattergeo(
        lon=[None], lat=[None], mode="markers", name=name, showlegend=True, hoverinfo="skip",
        marker={"symbol": "square", "size": 12, "color": color},
    )  # fmt: skip


def _outline_trace(rings: list[list[tuple[float, float]]]) -> go.Scattergeo:
    # One array of the rings' points, each ring ended by a gap (None): plotly takes an array whole,
    # where a list is walked value by value.
    gap = np.array([[None, None]], dtype=object)
    parts = [np.concatenate([np.asarray(ring, dtype=float).astype(object), gap]) for ring in rings if ring]
    points = np.concatenate(parts) if parts else np.empty((0, 2), dtype=object)
    return go.Scattergeo(
        lon=points[:, 0], lat=points[:, 1], mode="lines", name="granice powiatów", showlegend=False,
        hoverinfo="skip",
        line={"color": OUTLINE_COLOR, "width": 1.2},
    )  # fmt: skip


def _as_arrays(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON (Multi)Polygon with each ring an (n, 2) array (the same JSON once serialised)."""
    if geometry["type"] == "Polygon":
        rings = [np.asarray(r, dtype=float) for r in geometry["coordinates"]]
        return {"type": "Polygon", "coordinates": rings}
    if geometry["type"] == "MultiPolygon":
        parts = [[np.asarray(r, dtype=float) for r in polygon] for polygon in geometry["coordinates"]]
        return {"type": "MultiPolygon", "coordinates": parts}
    return geometry


def choropleth(
    overview: pd.DataFrame,
    geojson: dict,
    context_terc6: list[str] | None = None,
    outlines: list[list[tuple[float, float]]] | None = None,
) -> go.Figure:
    """Pilot gminy coloured by progress state on their boundaries, powiat outlines drawn over them.

    `overview` is `queries.region_overview`; `geojson` from `geo.boundaries_geojson` (feature
    property `terc6`). Gminy in `context_terc6` but not in the pilot are drawn light grey.
    `outlines` are rings (lon, lat) of the powiat or województwo boundaries (`reference.outlines`).
    Every shape is in the one choropleth trace (so the page sends the boundaries once), its
    location the gmina's 6-digit code; each state is named in the legend and in the hover.
    """
    pilot6 = {t[:6] for t in overview.terc}
    context = [t for t in (context_terc6 or []) if t not in pilot6]
    names = {f["properties"]["terc6"]: f["properties"].get("name") for f in geojson["features"]}
    bands: list[tuple[str, str, list[str], list[str]]] = []  # (legend name, colour, locations, hover)
    if context:
        bands.append(("poza pilotażem", CONTEXT_COLOR, context, [esc(names.get(t) or t) for t in context]))
    for state in PROGRESS_ORDER:
        part = overview[overview.progress_state == state]
        if not part.empty:
            hover = [_hover_gmina(r) for r in part.itertuples()]
            bands.append((PROGRESS_LABELS[state], PROGRESS_COLORS[state], [t[:6] for t in part.terc], hover))
    fig = go.Figure()
    top = max(len(bands) - 1, 1)
    colorscale = [[k / top, color] for k, (_, color, _, _) in enumerate(bands)]
    if len(bands) == 1:
        colorscale.append([1, bands[0][1]])
    # Only what plotly needs of each shape: the id it is matched on and the geometry, its rings as
    # arrays (plotly deep-copies the trace and walks it to serialise: one copy per ring, not per point).
    slim = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f["properties"]["terc6"], "geometry": _as_arrays(f["geometry"])}
            for f in geojson["features"]
        ],
    }
    fig.add_trace(
        go.Choropleth(
            geojson=slim,
            locations=[t for band in bands for t in band[2]],
            z=[k for k, band in enumerate(bands) for _ in band[2]],
            zmin=0,
            zmax=top,
            colorscale=colorscale,
            showscale=False,
            name="gminy",
            showlegend=False,
            marker={"line": {"color": "white", "width": 0.6}},
            unselected={"marker": {"opacity": 1}},
            customdata=[h for band in bands for h in band[3]],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    if outlines:
        fig.add_trace(_outline_trace(outlines))
    for name, color, _, _ in bands:
        fig.add_trace(_legend_entry(name, color))
    # Mercator keeps a region's shapes true (the default equirectangular widens Poland by ~1.6)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(
        height=520,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        font=FONT,
        legend={"title": {"text": "Stan gminy"}, "orientation": "h", "y": 0},
        clickmode="event+select",
    )
    return fig


def picked_gmina(selection: Any, overview: pd.DataFrame) -> str | None:
    """The 7-digit TERC of the pilot gmina clicked on the map (`st.plotly_chart` selection), if any."""
    points = (selection or {}).get("selection", {}).get("points", []) if isinstance(selection, dict) else []
    if not points:  # every run without a click: no walk over the region's codes (~2,500 nationally)
        return None
    by6 = {t[:6]: t for t in overview.terc}
    for point in points:
        terc = by6.get(str(point.get("location", "")))
        if terc is not None:
            return terc
    return None


def treemap(overview: pd.DataFrame, region_name: str) -> go.Figure:
    """Województwo → powiat → gmina, gminy coloured by progress state (named in the tile and hover)."""
    ids, labels, parents, colors, hover, values = (
        [esc(region_name)],
        [esc(region_name)],
        [""],
        ["#FFFFFF"],
        [""],
        [0],
    )
    for (powiat_terc, powiat), part in overview.groupby(["powiat_terc", "powiat"], sort=True):
        pid = f"p{powiat_terc}"
        ids.append(pid)
        labels.append(esc(powiat if str(powiat).lower().startswith("powiat") else f"powiat {powiat}"))
        parents.append(esc(region_name))
        colors.append("#F5F5F5")
        hover.append(f"{labels[-1]}: {len(part)} gmin w pilotażu")
        values.append(0)
        for r in row_tuples(part):
            ids.append(r.terc)
            labels.append(f"{esc(r.name)}<br>{esc(PROGRESS_LABELS.get(r.progress_state, r.progress_state))}")
            parents.append(pid)
            colors.append(PROGRESS_COLORS.get(r.progress_state, PLAN_COLOR))
            hover.append(_hover_gmina(r))
            values.append(1)
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",
            marker={"colors": colors, "line": {"color": "white", "width": 2}},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            textfont={"size": 14},
            tiling={"pad": 3},
        )
    )
    fig.update_layout(height=520, margin={"l": 0, "r": 0, "t": 10, "b": 0}, font=FONT)
    return fig


def progress_legend() -> list[tuple[str, str]]:
    """(colour, Polish label) of each progress state, for a legend beside the treemap."""
    return [(PROGRESS_COLORS[s], PROGRESS_LABELS[s]) for s in PROGRESS_ORDER]


def coverage_heatmap(coverage: pd.DataFrame) -> go.Figure:
    """Sector × gmina matrix of PZK members (`pzk.coverage_matrix`); missing sectors in vermillion."""
    if coverage.empty:
        return _empty("Brak gmin w pilotażu.")
    sectors = list(dict.fromkeys(coverage.sector))
    gminy = list(dict.fromkeys(coverage.gmina))
    grid = coverage.pivot_table(
        index="sector", columns="gmina", values="members", aggfunc="sum", fill_value=0
    ).reindex(index=sectors, columns=gminy, fill_value=0)
    z = grid.to_numpy()
    zmax = max(1, int(z.max()))
    edge = 0.5 / zmax  # values < 0.5 (i.e. 0) fall in the "missing" band
    scale = [[0, MISSING_COLOR], [edge, MISSING_COLOR], [edge, COVERED_LIGHT], [1, COVERED_DARK]]
    text = [["brak" if v == 0 else str(int(v)) for v in row] for row in z]
    sector_names = [esc(vocab.SECTORS.get(s, s)) for s in sectors]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(g) for g in gminy],
            y=sector_names,
            zmin=0,
            zmax=zmax,
            colorscale=scale,
            showscale=False,
            text=text,
            texttemplate="%{text}",
            xgap=2,
            ygap=2,
            hovertemplate="%{x}<br>%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(360, 30 * len(sectors) + 160),
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
    )
    fig.update_xaxes(side="top", tickangle=-45)
    fig.update_yaxes(autorange="reversed")
    return fig


def pzk_history(history: pd.DataFrame, today: date) -> go.Figure:
    """PZK size over time, a step line per gmina (`pzk.membership_history`), held flat up to today."""
    if history.empty:
        return _empty("Brak członków PZK.")
    fig = go.Figure()
    for terc, part in history.groupby("terc", sort=False):
        days = [cast(date, _as_date(d)) for d in part.on_day] + [today]
        counts = [*part.members, int(part.members.iloc[-1])]
        hover = [f"{fmt_date(d)}: {n} instytucji" for d, n in zip(days, counts, strict=True)]
        fig.add_trace(
            go.Scatter(
                name=esc(part.gmina.iloc[0] or terc),
                x=[d.isoformat() for d in days],
                y=counts,
                mode="lines+markers",
                line={"shape": "hv"},
                customdata=hover,
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    _add_today(fig, today)
    fig.update_layout(
        height=360,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title="liczba instytucji w PZK",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_xaxes(type="date", tickformat="%m.%Y", gridcolor="#EEEEEE")
    fig.update_yaxes(rangemode="tozero", gridcolor="#EEEEEE")
    return fig
