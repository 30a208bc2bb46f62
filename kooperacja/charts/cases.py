"""Plot builders of case monitoring, DataFrame -> go.Figure: the stage funnel and closure reasons.

Suppressed counts ("<5") are drawn as an empty bar labelled "<5", never as a guessed number.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kooperacja.charts.programme import FONT, esc
from kooperacja.model.rules import STATUS_COLORS, Status

FUNNEL_COLOR = STATUS_COLORS[Status.ON_TIME]
CLOSURE_COLOR = STATUS_COLORS[Status.DONE]


def _values(series: pd.Series) -> tuple[list[float], list[str]]:
    numbers = [v if isinstance(v, int | float) else 0 for v in series]
    return numbers, [str(v) for v in series]


def funnel_figure(funnel: pd.DataFrame) -> go.Figure:
    """Cases that reached each stage (rows of `case_stats.funnel`), one trace "Sprawy"."""
    x, text = _values(funnel.reached)
    fig = go.Figure(
        go.Funnel(
            name="Sprawy",
            y=[esc(v) for v in funnel.label],
            x=x,
            text=text,
            textinfo="text",
            marker={"color": FUNNEL_COLOR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(height=360, font=FONT, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def closure_figure(reasons: pd.DataFrame) -> go.Figure:
    """Closed cases by reason (rows of `case_stats.closure_reasons`), one trace "Zakończone"."""
    x, text = _values(reasons.cases)
    fig = go.Figure(
        go.Bar(
            name="Zakończone",
            y=[esc(v) for v in reasons.label],
            x=x,
            text=text,
            orientation="h",
            marker={"color": CLOSURE_COLOR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=260,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"title": "Liczba spraw", "rangemode": "tozero"},
    )
    fig.update_yaxes(autorange="reversed")
    return fig
