"""The cooperation network's charts on hand-made frames: fixed positions, sector colours, 40 nodes."""

from __future__ import annotations

import pandas as pd

from kooperacja.charts import network as charts
from kooperacja.model import vocab

SECTORS = list(vocab.SECTORS)


def _frames(n: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    edges = pd.DataFrame(
        [
            {
                "source": s,
                "target": t,
                "frequency": 1 + (s + t) % 3,
                "quality": 3,
                "initiates": "both",
                "reciprocal": s % 2 == 0,
            }
            for s in range(1, n - 2)
            for t in (s + 1, s + 3)
            if t < n - 2
        ]
    )
    degree = pd.concat([edges.source, edges.target]).value_counts()
    nodes = pd.DataFrame(
        {
            "institution_id": range(1, n + 1),
            "name": [
                f"Instytucja <b>{i}</b> w Zawiślu" if i != 1 else "GOPS w Zawiślu" for i in range(1, n + 1)
            ],
            "sector": [SECTORS[i % len(SECTORS)] for i in range(1, n + 1)],
        }
    )
    nodes["sector_label"] = nodes.sector.map(vocab.SECTORS)
    nodes["degree"] = nodes.institution_id.map(degree).fillna(0).astype(int)
    nodes["isolated"] = nodes.degree == 0
    return nodes, edges


def test_the_layout_is_the_same_on_every_call_and_in_any_row_order():
    nodes, edges = _frames()
    first = charts.positions(nodes, edges)
    again = charts.positions(nodes.sample(frac=1, random_state=3), edges.sample(frac=1, random_state=5))
    assert first == again
    assert set(first) == set(nodes.institution_id)


def test_each_sector_is_one_legend_entry_in_its_own_colour_and_symbol():
    nodes, edges = _frames()
    fig = charts.network_figure(nodes, edges)
    markers = [t for t in fig.data if t.mode == "markers+text"]
    assert [t.name for t in markers] == [vocab.SECTORS[s] for s in charts.sector_order(nodes.sector)]
    assert len(markers) == len(vocab.SECTORS)
    for trace, sector in zip(markers, charts.sector_order(nodes.sector), strict=True):
        assert trace.marker.color == charts.SECTOR_COLORS[sector]
        assert trace.marker.symbol == charts.SECTOR_SYMBOLS[sector]
    assert len(set(charts.SECTOR_COLORS.values())) == len(charts.SECTOR_COLORS) == len(vocab.SECTORS)
    assert sum(len(t.x) for t in markers) == 40


def test_nodes_are_sized_by_degree_isolated_ones_ringed_and_names_escaped():
    nodes, edges = _frames()
    fig = charts.network_figure(nodes, edges)
    hovers = [h for t in fig.data if t.mode == "markers+text" for h in t.customdata]
    assert all("<b>" not in h.split("</b>", 1)[1] for h in hovers)  # only our own bold name
    assert any("&lt;b&gt;" in h for h in hovers)
    assert any("bez powiązań" in h for h in hovers)
    isolated = nodes[nodes.isolated].institution_id.tolist()
    assert len(isolated) == 3  # the last three have no link
    for trace in (t for t in fig.data if t.mode == "markers+text"):
        widths = list(trace.marker.line.width)
        assert all(w in (1, 3) for w in widths)
    sizes = {s for t in fig.data if t.mode == "markers+text" for s in t.marker.size}
    assert min(sizes) == charts.NODE_MIN and max(sizes) == charts.NODE_MAX
    assert "Czerwona obwódka" in fig.layout.annotations[0].text


def test_links_are_drawn_once_per_pair_width_by_frequency():
    nodes, edges = _frames(10)
    both_ways = pd.concat([edges, edges.rename(columns={"source": "target", "target": "source"})])
    fig = charts.network_figure(nodes, both_ways)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert sum(len(t.x) // 3 for t in lines) == len(edges)
    assert [t.line.width for t in lines] == sorted(t.line.width for t in lines)
    assert all(t.name.startswith("kontakt ") for t in lines)


def test_an_empty_wave_says_so_in_polish():
    nodes, edges = _frames()
    fig = charts.network_figure(nodes.iloc[0:0], edges.iloc[0:0])
    assert fig.layout.annotations[0].text == "Brak instytucji w tym badaniu."


def test_the_change_chart_pairs_both_waves_per_measure_labelled_with_their_values():
    change = pd.DataFrame(
        {
            "measure": ["institutions", "density", "isolated", "ops_share"],
            "label": ["Instytucje", "Gęstość sieci", "Instytucje bez powiązań", "Udział OPS"],
            "explanation": ["", "", "", ""],
            "baseline": [20, 0.12, 5, None],
            "endline": [22, 0.31, None, None],
            "change": [2, 0.19, None, None],
        }
    )
    fig = charts.change_bars(change)
    before, after = fig.data
    assert (before.name, after.name) == ("Przed (diagnoza)", "Po (ewaluacja)")
    assert list(before.y) == ["Instytucje", "Gęstość sieci", "Instytucje bez powiązań"]  # no value: left out
    assert list(after.text) == ["22", "0,31", "—"] and list(before.text) == ["20", "0,12", "5"]
    assert (
        charts.measure_text("ops_share", 0.22) == "22%" and charts.change_text("ops_share", 0.08) == "+8 pp"
    )
    assert max(after.x[0], before.x[0]) == 100 and after.x[1] == 100  # each pair against its larger value
