"""The network measures of a wave agree with networkx and the textbook formulas."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from kooperacja.network.measures import EXPLANATIONS, LABELS, compute, empty, freeman_centralisation, is_ops


def _wave(links: list[tuple[int, int]], n: int = 5, sectors: list[str] | None = None):
    sectors = sectors or ["pomoc_spoleczna", "edukacja", "zdrowie", "policja", "ngo"][:n]
    nodes = pd.DataFrame(
        {
            "institution_id": range(1, n + 1),
            "name": [f"Instytucja {i}" for i in range(1, n + 1)],
            "sector": sectors,
            "is_ops": [i == 1 for i in range(1, n + 1)],
        }
    )
    rows = [
        (r, p, (r, p) in links, "co_miesiac" if (r, p) in links else "nigdy", 4 if (r, p) in links else None)
        for r in range(1, n + 1)
        for p in range(1, n + 1)
        if r != p
    ]
    answers = pd.DataFrame(
        rows, columns=["respondent_id", "partner_id", "cooperates", "frequency", "quality"]
    )
    return nodes, answers


def test_density_is_the_textbook_formula_of_the_declared_directed_graph():
    links = [(1, 2), (2, 1), (1, 3), (4, 1)]
    m = compute(*_wave(links))
    assert m.directed is True
    assert m.links == 4 and m.institutions == 5
    assert m.density == pytest.approx(4 / (5 * 4))


def test_the_measures_agree_with_networkx_computed_independently():
    links = [(1, 2), (2, 1), (1, 3), (3, 4), (4, 1)]
    m = compute(*_wave(links))
    g = nx.DiGraph()
    g.add_nodes_from(range(1, 6))
    g.add_edges_from(links)
    assert m.density == pytest.approx(nx.density(g))
    assert m.reciprocity == pytest.approx(nx.reciprocity(g))
    assert m.average_degree == pytest.approx(sum(d for _, d in g.degree()) / 5)
    assert m.isolated == len(list(nx.isolates(g))) == 1
    assert m.isolated_names == ("Instytucja 5",)
    assert m.ops_share == pytest.approx(4 / 5)  # institution 1 is the OPS: 4 of the 5 links touch it
    assert m.cross_sector_links == 5
    assert int(m.sector_matrix.to_numpy().sum()) == 5
    assert m.sectors_never_linked == ("ngo",)
    assert m.mean_quality == 4 and m.mean_frequency == 2


def test_freeman_centralisation_is_one_for_a_two_way_star_and_zero_for_a_cycle():
    star = [(1, i) for i in range(2, 6)] + [(i, 1) for i in range(2, 6)]
    assert compute(*_wave(star)).degree_centralisation == pytest.approx(1.0)
    cycle = [(1, 2), (2, 3), (3, 4), (4, 5), (5, 1)]
    assert compute(*_wave(cycle)).degree_centralisation == pytest.approx(0.0)
    assert freeman_centralisation([1, 1]) is None


def test_a_wave_without_answers_has_no_links_and_undefined_ratios():
    m = empty()
    assert (m.institutions, m.links, m.density, m.reciprocity, m.ops_share) == (0, 0, 0.0, None, None)


def test_every_measure_has_a_polish_label_and_one_explanation_sentence():
    assert set(LABELS) <= set(EXPLANATIONS)
    assert "m / (n·(n−1))" in EXPLANATIONS["density"]
    assert "0–3" in EXPLANATIONS["mean_frequency"]


@pytest.mark.parametrize(
    ("name", "level", "seat", "expected"),
    [
        ("Gminny Ośrodek Pomocy Społecznej w Zawiślu", "gmina", "3401011", True),
        ("MOPS Zawiśle", "gmina", "3401011", True),
        ("Miejski Ośrodek Pomocy Rodzinie w Nadbrzeżu", "gmina", "3401011", True),
        ("Gminny Ośrodek Pomocy Społecznej w Kępnicy", "gmina", "3401043", False),  # another gmina's
        ("Powiatowe Centrum Pomocy Rodzinie", "powiat", "3401", False),
        ("Środowiskowy Dom Samopomocy", "gmina", "3401011", False),
    ],
)
def test_the_ops_is_the_gminas_own_social_assistance_centre(name, level, seat, expected):
    assert is_ops(name, "pomoc_spoleczna", level, seat, "3401011") is expected
