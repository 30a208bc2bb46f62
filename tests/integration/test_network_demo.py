"""The demo's cooperation network: believable, and its kept measures equal a recomputation."""

from __future__ import annotations

import pytest

from kooperacja.network import queries as Q


def test_every_kept_measure_of_the_demo_equals_networkx_recomputed(demo_conn):
    ids = [int(w) for w in Q.waves(demo_conn, None).wave_id]
    kept = demo_conn.execute("SELECT * FROM wave_measure ORDER BY wave_id").df().set_index("wave_id")
    assert sorted(kept.index) == sorted(ids)
    for wave_id, m in Q.measures_of(demo_conn.cursor(), ids).items():
        row = kept.loc[wave_id]
        for name, value in m.scalars().items():
            assert (value is None and row[name] != row[name]) or row[name] == pytest.approx(value), name
        assert tuple(row["sectors_never_linked"]) == m.sectors_never_linked


def test_the_demo_pilot_gminy_past_k2_have_a_baseline_and_those_at_k9_an_endline(demo_conn):
    table = Q.region_table(demo_conn)
    with_baseline = table[table.baseline_on.notna()]
    assert len(with_baseline) >= len(table) - 1  # the gmina still at K2 has none
    after = table[table.endline_on.notna()]
    assert len(after) >= 2
    improved = after[
        (after.density_after > after.density_before) & (after.isolated_after < after.isolated_before)
    ]
    assert len(improved) == len(after) - 1  # one gmina did not improve
    assert (with_baseline.density_before < 0.15).all()  # baselines are sparse


def test_a_demo_baseline_runs_through_the_ops_and_leaves_some_institutions_isolated(demo_conn):
    waves = Q.waves(demo_conn, None)
    first = int(waves[waves.kind == "diagnoza"].wave_id.iloc[0])
    m = Q.wave_measures(demo_conn, first)
    assert m.ops_name and m.ops_share and m.ops_share > 0.3
    assert m.isolated >= 1 and len(m.isolated_names) == m.isolated
    nodes, edges = Q.wave_graph(demo_conn, first)
    assert len(nodes) == m.institutions and len(edges) == m.links
    assert edges.reciprocal.sum() == pytest.approx(m.reciprocity * m.links)
    assert nodes.sector_label.notna().all() and edges.frequency_label.notna().all()
    terc = str(waves[waves.wave_id == first].terc.iloc[0])
    assert len(Q.problem_map(demo_conn, terc)) >= 6 and len(Q.resources(demo_conn, terc)) == m.institutions
