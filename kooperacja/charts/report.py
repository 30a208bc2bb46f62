"""Plot builders for the effects report, the services gaps and the WZK slides (DataFrame -> go.Figure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kooperacja.charts.programme import COVERED_DARK, COVERED_LIGHT, FONT, MISSING_COLOR, esc
from kooperacja.lku import GAP_STATES
from kooperacja.model import disclosure

SERIES_COLORS = ["#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#BBBBBB"]
NO_NEED = "#F4F4F4"


def _length(value: object) -> float:
    """Bar length of a cell; a suppressed count ("<5") gets no bar, only its text."""
    return float(value) if isinstance(value, int | float) and not pd.isna(value) else 0.0


def bars(table: pd.DataFrame, columns: list[str] | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars of a report table: rows named by the first column, one trace per column."""
    label = table.columns[0]
    columns = columns or [c for c in table.columns[1:]]
    rows = [esc(v) for v in table[label].astype(str)]
    fig = go.Figure()
    for n, col in enumerate(columns):
        values = list(table[col])
        fig.add_trace(
            go.Bar(
                name=esc(col),
                orientation="h",
                y=rows,
                x=[_length(v) for v in values],
                text=[str(v) for v in values],
                textposition="outside",
                cliponaxis=False,
                marker_color=SERIES_COLORS[n % len(SERIES_COLORS)],
                hovertemplate="%{y}: %{text}<extra>" + esc(col) + "</extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        font=FONT,
        plot_bgcolor="white",
        showlegend=len(columns) > 1,
        height=height or max(220, 28 * len(rows) * max(1, len(columns)) // 1 + 90),
        margin={"l": 10, "r": 40, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.08},
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(gridcolor="#EEEEEE", rangemode="tozero")
    return fig


def gap_heatmap(gaps: pd.DataFrame, hide_small: bool = False) -> go.Figure:
    """Gmina × problem area (`lku.gaps`): gaps in vermillion, covered needs in blue, offer only light.

    Cells show the number of cases with the problem ("<5" for 1–4 when `hide_small`).
    """
    if gaps.empty:
        fig = go.Figure()
        fig.add_annotation(text="Brak gmin w pilotażu.", showarrow=False)
        return fig
    codes = {"none": 0, "offer_only": 1, "covered": 2, "gap": 3}
    problems = list(dict.fromkeys(gaps.problem))
    gminy = list(dict.fromkeys(gaps.name))
    grid = gaps.pivot_table(index="problem", columns="name", values="state", aggfunc="first")
    grid = grid.reindex(index=problems, columns=gminy)
    z = [[codes[s] for s in row] for row in grid.to_numpy()]
    cases = gaps.pivot_table(index="problem", columns="name", values="cases", aggfunc="sum")
    cases = cases.reindex(index=problems, columns=gminy)
    text = [
        [_cell(s, int(c), hide_small) for s, c in zip(srow, crow, strict=True)]
        for srow, crow in zip(grid.to_numpy(), cases.to_numpy(), strict=True)
    ]
    scale = [
        [0, NO_NEED],
        [0.25, NO_NEED],
        [0.25, COVERED_LIGHT],
        [0.5, COVERED_LIGHT],
        [0.5, COVERED_DARK],
        [0.75, COVERED_DARK],
        [0.75, MISSING_COLOR],
        [1, MISSING_COLOR],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(g) for g in gminy],
            y=[esc(p) for p in problems],
            zmin=-0.5,
            zmax=3.5,
            colorscale=scale,
            showscale=False,
            text=text,
            texttemplate="%{text}",
            xgap=2,
            ygap=2,
            customdata=[[GAP_STATES[s] for s in row] for row in grid.to_numpy()],
            hovertemplate="%{x}<br>%{y}<br>%{customdata}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(380, 30 * len(problems) + 170),
        font=FONT,
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    fig.update_xaxes(side="top", tickangle=-45)
    fig.update_yaxes(autorange="reversed")
    return fig


def _cell(state: str, cases: int, hide_small: bool) -> str:
    shown = disclosure.suppress_text(cases, hide_small)
    if state == "gap":
        return f"brak ({shown})"
    return shown if cases else ""
