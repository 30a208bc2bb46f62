"""The kept measures of many waves at once (`wave_measure`), computed set-based in SQL.

The SQL twin of `measures.compute_rows` for the region's thousands of waves (a national demo build,
an import): the same declared directed graph and the same formulas, one statement for all waves.
`tests/integration/test_network_demo.py` proves every kept row equal to networkx recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from kooperacja.model.vocab import FREQUENCY_SCALE, SECTORS
from kooperacja.network.measures import OPS_NAME_PATTERN

_SCALE = " ".join(f"WHEN '{k}' THEN {v}" for k, v in FREQUENCY_SCALE.items())
_ORDER = ", ".join(f"'{s}'" for s in SECTORS)

KEPT = f"""
WITH w AS (
    SELECT wave_id, terc, row_version FROM survey_wave WHERE list_contains($waves, wave_id)
), a AS (
    SELECT s.* FROM survey_answer s SEMI JOIN w USING (wave_id)
), nodes AS (
    SELECT wave_id, respondent_id AS id FROM a UNION SELECT wave_id, partner_id FROM a
), info AS (
    SELECT n.wave_id, n.id, i.sector,
           i.sector = 'pomoc_spoleczna' AND i.level = 'gmina' AND i.seat_terc = w.terc
           AND regexp_matches(i.name, $ops, 'i') AS ops
    FROM nodes n JOIN institution i ON i.institution_id = n.id JOIN w USING (wave_id)
), links AS (
    SELECT a.wave_id, a.respondent_id AS u, a.partner_id AS v, a.quality,
           CASE a.frequency {_SCALE} END AS freq, su.sector AS su, sv.sector AS sv, su.ops OR sv.ops AS ops,
           EXISTS (SELECT 1 FROM a b WHERE b.wave_id = a.wave_id AND b.cooperates
                   AND b.respondent_id = a.partner_id AND b.partner_id = a.respondent_id) AS mutual
    FROM a
    JOIN info su ON su.wave_id = a.wave_id AND su.id = a.respondent_id
    JOIN info sv ON sv.wave_id = a.wave_id AND sv.id = a.partner_id
    WHERE a.cooperates
), ends AS (
    SELECT wave_id, u AS id FROM links UNION ALL SELECT wave_id, v FROM links
), degree AS (
    SELECT i.wave_id, i.id, count(e.id) AS d
    FROM info i LEFT JOIN ends e ON e.wave_id = i.wave_id AND e.id = i.id
    GROUP BY ALL
), by_node AS (
    SELECT wave_id, count(*) AS n, max(d) AS top, sum(d) AS total, count(*) FILTER (WHERE d = 0) AS isolated
    FROM degree GROUP BY ALL
), by_link AS (
    SELECT wave_id, count(*) AS m, count(*) FILTER (WHERE mutual) AS mutual,
           count(*) FILTER (WHERE ops) AS ops, count(*) FILTER (WHERE su <> sv) AS cross_sector,
           avg(quality) AS mean_quality, avg(freq) AS mean_frequency
    FROM links GROUP BY ALL
), crossing AS (
    SELECT wave_id, su AS sector FROM links WHERE su <> sv UNION SELECT wave_id, sv FROM links WHERE su <> sv
), present AS (
    SELECT DISTINCT wave_id, sector FROM info
), never AS (
    SELECT p.wave_id,
           list(p.sector ORDER BY list_position([{_ORDER}], p.sector)) FILTER (WHERE c.sector IS NULL)
               AS sectors
    FROM present p LEFT JOIN crossing c ON c.wave_id = p.wave_id AND c.sector = p.sector
    GROUP BY ALL
), has_ops AS (
    SELECT wave_id, bool_or(ops) AS present FROM info GROUP BY ALL
)
SELECT w.wave_id, w.row_version,
       coalesce(bn.n, 0)::INTEGER AS institutions,
       coalesce(bl.m, 0)::INTEGER AS links,
       CASE WHEN coalesce(bn.n, 0) > 1 THEN coalesce(bl.m, 0) / (bn.n * (bn.n - 1)) ELSE 0.0 END AS density,
       CASE WHEN bl.m > 0 THEN bl.mutual / bl.m END AS reciprocity,
       CASE WHEN bn.n > 0 THEN 2.0 * coalesce(bl.m, 0) / bn.n ELSE 0.0 END AS average_degree,
       CASE WHEN bn.n >= 3 THEN (bn.n * bn.top - bn.total) / (2.0 * (bn.n - 1) * (bn.n - 2)) END
           AS degree_centralisation,
       coalesce(bn.isolated, 0)::INTEGER AS isolated,
       CASE WHEN h.present AND bl.m > 0 THEN bl.ops / bl.m END AS ops_share,
       coalesce(bl.cross_sector, 0)::INTEGER AS cross_sector_links,
       bl.mean_quality, bl.mean_frequency,
       coalesce(nv.sectors, []::VARCHAR[]) AS sectors_never_linked
FROM w
LEFT JOIN by_node bn USING (wave_id)
LEFT JOIN by_link bl USING (wave_id)
LEFT JOIN never nv USING (wave_id)
LEFT JOIN has_ops h USING (wave_id)
"""
COLUMNS = (
    "wave_id, row_version, institutions, links, density, reciprocity, average_degree, "
    "degree_centralisation, isolated, ops_share, cross_sector_links, mean_quality, mean_frequency, "
    "sectors_never_linked"
)


def store_measures(cur: duckdb.DuckDBPyConnection, wave_ids: Sequence[int]) -> int:
    """Recompute and keep the measures of the given waves (inside the caller's transaction)."""
    ids = [int(w) for w in wave_ids]
    if not ids:
        return 0
    cur.execute("DELETE FROM wave_measure WHERE list_contains(?, wave_id)", [ids])
    cur.execute(
        f"INSERT INTO wave_measure ({COLUMNS}) SELECT {COLUMNS} FROM ({KEPT})",
        {"waves": ids, "ops": OPS_NAME_PATTERN},
    )
    return int(
        cur.execute("SELECT count(*) FROM wave_measure WHERE list_contains(?, wave_id)", [ids]).fetchall()[0][
            0
        ]
    )
