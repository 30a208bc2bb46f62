"""Plot builders of the cooperation network: the graph of one wave and the change of its measures.

No database access here: `network_figure` takes the (nodes, edges) frames of `network.queries.wave_graph`
and `change_bars` the table of `network.queries.change`. Sectors keep the app's palette (Okabe–Ito
first) and get a marker symbol each, so that colour is never the only carrier of the sector; the legend
names every sector in Polish. Positions come from a seeded layout over the institutions sorted by sector
and id: the same institutions give the same picture on every visit, baseline and endline alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from kooperacja.charts.programme import FONT, MISSING_COLOR, esc
from kooperacja.model import vocab
from kooperacja.model.formatting import fmt_number, is_missing, row_tuples

# One colour per sector: the eight of Okabe–Ito first (the OPS's sector in the app's blue), then
# five more, each also with its own marker symbol.
SECTOR_COLORS: dict[str, str] = {
    "pomoc_spoleczna": "#0072B2",
    "edukacja": "#E69F00",
    "zdrowie": "#009E73",
    "policja": "#56B4E9",
    "sady_kuratela": "#CC79A7",
    "rynek_pracy": "#F0E442",
    "kultura": "#D55E00",
    "mieszkalnictwo": "#000000",
    "ekonomia_spoleczna": "#8C6D31",
    "ngo": "#6A3D9A",
    "kosciol": "#999999",
    "samorzad": "#1B7837",
    "inne": "#BBBBBB",
}
SECTOR_SYMBOLS: dict[str, str] = {
    "pomoc_spoleczna": "circle",
    "edukacja": "square",
    "zdrowie": "diamond",
    "policja": "triangle-up",
    "sady_kuratela": "triangle-down",
    "rynek_pracy": "pentagon",
    "kultura": "hexagon",
    "mieszkalnictwo": "star",
    "ekonomia_spoleczna": "cross",
    "ngo": "x",
    "kosciol": "hourglass",
    "samorzad": "bowtie",
    "inne": "circle-open",
}
OTHER_COLOR = SECTOR_COLORS["inne"]
_FREQUENCY_NAMES = {n: vocab.FREQUENCIES[code] for code, n in vocab.FREQUENCY_SCALE.items()}
ISOLATED_LINE = MISSING_COLOR  # a vermillion ring: an institution without a single link
# How often two institutions work together (the survey's scale, vocab.FREQUENCY_SCALE 0–3) → line
# width and opacity; "nigdy" is no link at all.
EDGE_STYLE: dict[int, tuple[float, float]] = {1: (1.2, 0.45), 2: (2.4, 0.6), 3: (4.2, 0.8)}
EDGE_COLOR = "#444444"
SEED = 20261124
LABEL_CHARS = 16
NODE_MIN, NODE_MAX = 12.0, 34.0
_ACRONYM = re.compile(r"\b[A-ZĄĆĘŁŃÓŚŹŻ]{2,}\b")


def short_label(name: str) -> str:
    """The label written on a node: the name's acronym if it has one, else its start.

    >>> short_label("Gminny Ośrodek Pomocy Społecznej (GOPS) w Zawiślu")
    'GOPS'
    >>> short_label("Szkoła Podstawowa nr 2 im. Jana Pawła II")
    'Szkoła Podstawo…'
    >>> short_label("PUP Zawiśle")
    'PUP'
    """
    found = [a for a in _ACRONYM.findall(name) if a not in {"II", "III", "IV", "VI"}]
    if found:
        return found[0]
    text = " ".join(name.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def positions(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int = SEED) -> dict[int, tuple[float, float]]:
    """Node positions: a spring layout seeded with `seed`, started from a circle by sector.

    The same institutions and links give the same positions on every call; the page passes the union
    of both waves so that an institution keeps its place between the baseline and the endline.
    """
    order = nodes.sort_values(["sector", "institution_id"], kind="stable")
    ids = [int(i) for i in order.institution_id.drop_duplicates()]
    if not ids:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    known = set(ids)
    graph.add_edges_from(
        (int(s), int(t))
        for s, t in sorted(zip(edges.source, edges.target, strict=True))
        if int(s) in known and int(t) in known and int(s) != int(t)
    )
    start = {
        n: (math.cos(2 * math.pi * k / len(ids)), math.sin(2 * math.pi * k / len(ids)))
        for k, n in enumerate(ids)
    }
    if len(ids) == 1:
        return {ids[0]: (0.0, 0.0)}
    k = 1.6 / math.sqrt(len(ids))  # a little more room than the default: labels fit at 40 nodes
    pos = nx.spring_layout(graph, pos=start, k=k, seed=seed, iterations=80)
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in pos.items()}


def _level(frequency: object) -> int:
    """A link's frequency on the scale 1–3: a survey code ("co_miesiac") or its number.

    >>> [_level(f) for f in ("sporadycznie", "co_tydzien", 2, None)]
    [1, 3, 2, 1]
    """
    if isinstance(frequency, str):
        return max(1, vocab.FREQUENCY_SCALE.get(frequency, 1))
    number = pd.to_numeric(pd.Series([frequency]), errors="coerce").iloc[0]
    return 1 if pd.isna(number) else int(min(3, max(1, number)))


def _pairs(edges: pd.DataFrame) -> pd.DataFrame:
    """One line per pair of institutions: the higher frequency either side reported."""
    if edges.empty:
        return pd.DataFrame(columns=["a", "b", "frequency"])
    frame = pd.DataFrame(
        {
            "a": [min(int(s), int(t)) for s, t in zip(edges.source, edges.target, strict=True)],
            "b": [max(int(s), int(t)) for s, t in zip(edges.source, edges.target, strict=True)],
            "frequency": [_level(f) for f in edges.frequency],
        }
    )
    frame = frame[frame.a != frame.b]
    pairs = frame.groupby(["a", "b"], as_index=False).agg(frequency=("frequency", "max"))
    return pairs.sort_values(["a", "b"])


def _edge_traces(pairs: pd.DataFrame, pos: Mapping[int, tuple[float, float]]) -> list[go.Scatter]:
    traces = []
    for level in sorted(EDGE_STYLE):
        chosen = pairs[pairs.frequency.clip(1, 3) == level]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in zip(chosen.a, chosen.b, strict=True):
            if a in pos and b in pos:
                xs += [pos[a][0], pos[b][0], None]
                ys += [pos[a][1], pos[b][1], None]
        if not xs:
            continue
        width, opacity = EDGE_STYLE[level]
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"kontakt {_FREQUENCY_NAMES[level]}",
                line={"width": width, "color": EDGE_COLOR},
                opacity=opacity,
                hoverinfo="skip",
            )
        )
    return traces


def _node_size(degree: float, top: float) -> float:
    return NODE_MIN + (NODE_MAX - NODE_MIN) * (degree / top if top else 0.0)


def _hover(row) -> str:
    isolated = "<br><i>bez powiązań w tym badaniu</i>" if bool(row.isolated) else ""
    return (
        f"<b>{esc(row.name)}</b><br>Sektor: {esc(row.sector_label)}"
        f"<br>Powiązania: {int(row.degree)}{isolated}"
    )


def sector_order(sectors: Iterable[str]) -> list[str]:
    """Sectors in the vocabulary's order (unknown codes last, by name)."""
    known = list(vocab.SECTORS)
    present = set(sectors)
    return [s for s in known if s in present] + sorted(present - set(known))


def network_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    pos: Mapping[int, tuple[float, float]] | None = None,
    height: int = 640,
) -> go.Figure:
    """The network of one wave: a node per institution (colour and symbol by sector, size by degree,
    a vermillion ring when isolated), a line per pair that works together (width by frequency)."""
    fig = go.Figure()
    if nodes.empty:
        fig.add_annotation(text="Brak instytucji w tym badaniu.", showarrow=False, xref="paper", yref="paper")
        fig.update_layout(xaxis_visible=False, yaxis_visible=False, height=200, font=FONT)
        return fig
    pos = dict(pos) if pos is not None else positions(nodes, edges)
    nodes = nodes.assign(
        name=nodes.name.astype(str),
        sector_label=[
            lbl if isinstance(lbl, str) and lbl else vocab.SECTORS.get(s, str(s))
            for s, lbl in zip(nodes.sector, nodes.get("sector_label", nodes.sector), strict=True)
        ],
        degree=pd.to_numeric(nodes.degree, errors="coerce").fillna(0).astype(int),
        isolated=nodes.isolated.fillna(False).astype(bool),
    )
    for trace in _edge_traces(_pairs(edges), pos):
        fig.add_trace(trace)
    top = float(nodes.degree.max() or 0)
    for sector in sector_order(nodes.sector):
        group = nodes[nodes.sector == sector].sort_values("institution_id")
        rows = list(row_tuples(group, index=False))
        fig.add_trace(
            go.Scatter(
                x=[pos[int(r.institution_id)][0] for r in rows],
                y=[pos[int(r.institution_id)][1] for r in rows],
                mode="markers+text",
                name=esc(rows[0].sector_label),
                text=[esc(short_label(r.name)) for r in rows],
                textposition="top center",
                textfont={"size": 10, "color": "#333333"},
                customdata=[_hover(r) for r in rows],
                hovertemplate="%{customdata}<extra></extra>",
                marker={
                    "color": SECTOR_COLORS.get(sector, OTHER_COLOR),
                    "symbol": SECTOR_SYMBOLS.get(sector, "circle"),
                    "size": [_node_size(r.degree, top) for r in rows],
                    "line": {
                        "color": [ISOLATED_LINE if r.isolated else "white" for r in rows],
                        "width": [3 if r.isolated else 1 for r in rows],
                    },
                },
            )
        )
    isolated = int(nodes.isolated.sum())
    if isolated:
        fig.add_annotation(
            text=f"Czerwona obwódka: instytucja bez powiązań ({isolated})",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=1.0,
            xanchor="left",
            yanchor="bottom",
            font={"size": 11, "color": ISOLATED_LINE},
        )
    fig.update_layout(
        height=height,
        font=FONT,
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 24, "b": 10},
        legend={
            "itemsizing": "constant",
            "font": {"size": 11},
            "orientation": "h",
            "traceorder": "normal",
            "entrywidth": 190,
            "entrywidthmode": "pixels",
            "yanchor": "top",
            "y": -0.04,
            "x": 0,
        },
        hoverlabel={"align": "left"},
        dragmode="pan",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return fig


SHARES = {"ops_share"}  # shown as a percentage
RATIOS = {"density", "reciprocity", "degree_centralisation"}  # 0–1, two decimals
MEANS = {"average_degree", "mean_quality", "mean_frequency"}  # one decimal (two for small ones)


def measure_text(measure: str, value: object) -> str:
    """A measure's value as the tables show it: shares in %, ratios with two decimals, "—" if undefined.

    >>> [measure_text(m, v) for m, v in [("density", 0.1234), ("ops_share", 0.5), ("links", 12.0),
    ...  ("mean_quality", 3.456), ("reciprocity", None)]]
    ['0,12', '50%', '12', '3,46', '—']
    """
    if is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if measure in SHARES:
        return f"{fmt_number(100 * number)}%"
    if measure in RATIOS or measure in MEANS:
        return fmt_number(number, 2)
    return fmt_number(number)


def change_text(measure: str, value: object) -> str:
    """The change between two waves with its sign ("+0,19", "−2", "+12 pp" for a share)."""
    if is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    if measure in SHARES:
        return f"{sign}{fmt_number(abs(100 * number))} pp"
    return sign + measure_text(measure, abs(number))


def _value(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


BEFORE_COLOR, AFTER_COLOR = "#BBBBBB", "#0072B2"


def change_bars(
    change: pd.DataFrame, before: str = "Przed (diagnoza)", after: str = "Po (ewaluacja)"
) -> go.Figure:
    """Each measure's baseline and endline as a pair of bars. The measures have different scales (a
    count, a share, a mean on 1–5), so each pair is drawn against its larger value (= the full bar)
    and the bars are labelled with the values themselves."""
    rows = [
        r
        for r in row_tuples(change, index=False)
        if _value(r.baseline) is not None or _value(r.endline) is not None
    ]
    if not rows:
        fig = go.Figure()
        fig.add_annotation(text="Brak miar do porównania.", showarrow=False, xref="paper", yref="paper")
        fig.update_layout(xaxis_visible=False, yaxis_visible=False, height=200, font=FONT)
        return fig
    labels = [esc(r.label) for r in rows]
    tops = [max(abs(_value(r.baseline) or 0.0), abs(_value(r.endline) or 0.0)) or 1.0 for r in rows]
    fig = go.Figure()
    for name, column, color in ((before, "baseline", BEFORE_COLOR), (after, "endline", AFTER_COLOR)):
        values = [_value(getattr(r, column)) for r in rows]
        texts = [measure_text(r.measure, getattr(r, column)) for r in rows]
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=labels,
                x=[100 * abs(v or 0.0) / top for v, top in zip(values, tops, strict=True)],
                text=texts,
                textposition="outside",
                cliponaxis=False,
                marker_color=color,
                hovertemplate="%{y}<br>" + name + ": %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        font=FONT,
        plot_bgcolor="white",
        height=46 * len(rows) + 80,
        margin={"l": 10, "r": 50, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        bargap=0.25,
    )
    fig.update_xaxes(visible=False, range=[0, 118])
    fig.update_yaxes(autorange="reversed")
    return fig
