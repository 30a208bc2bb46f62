"""Read side of the cooperation network: waves, their measures and graph, change, the region table,
the diagnosis (problem map, resources card) and one respondent's grid."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import rules
from kooperacja.model.errors import NotFound
from kooperacja.model.vocab import FREQUENCIES, INITIATES, LEVELS, SECTORS, TRENDS, WAVE_KINDS
from kooperacja.network import kept
from kooperacja.network.measures import (
    EXPLANATIONS,
    LABELS,
    SCALARS,
    Link,
    Measures,
    Node,
    compute_rows,
    graph,
    is_ops,
)
from kooperacja.warehouse import ident

WAVES = """
SELECT w.wave_id, w.terc, w.held_on, w.kind, w.note,
       count(DISTINCT a.respondent_id)::INTEGER AS respondents, count(a.wave_id)::INTEGER AS answers,
       w.row_version
FROM survey_wave w LEFT JOIN survey_answer a USING (wave_id)
WHERE $terc IS NULL OR w.terc = $terc
GROUP BY ALL
ORDER BY w.terc, w.held_on, w.wave_id
"""


def waves(conn: duckdb.DuckDBPyConnection, terc: str | None) -> pd.DataFrame:
    """The gmina's waves (all gminy's for None), oldest first, with how many answered."""
    df = conn.cursor().execute(WAVES, {"terc": terc}).df()
    df.insert(4, "kind_label", df["kind"].map(WAVE_KINDS))
    return df


# The institutions of the given waves (every respondent and partner) and the waves' answers.
NODES = """
WITH ids AS (
    SELECT wave_id, terc, respondent_id AS institution_id FROM survey_answer
    WHERE list_contains($waves, wave_id)
    UNION
    SELECT wave_id, terc, partner_id FROM survey_answer WHERE list_contains($waves, wave_id)
)
SELECT ids.wave_id, ids.terc, i.institution_id, i.name, i.sector, i.level, i.seat_terc
FROM ids JOIN institution i USING (institution_id)
ORDER BY ids.wave_id, i.name, i.institution_id
"""
ANSWERS = """
SELECT wave_id, respondent_id, partner_id, cooperates, initiates, frequency, quality
FROM survey_answer WHERE list_contains($waves, wave_id)
ORDER BY wave_id, respondent_id, partner_id
"""


def _frames(cur: duckdb.DuckDBPyConnection, wave_ids: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [int(w) for w in wave_ids]
    nodes = cur.execute(NODES, {"waves": ids}).df()
    nodes["is_ops"] = [
        is_ops(n, s, lv, seat, t)
        for n, s, lv, seat, t in zip(
            nodes.name, nodes.sector, nodes.level, nodes.seat_terc, nodes.terc, strict=True
        )
    ]
    return nodes, cur.execute(ANSWERS, {"waves": ids}).df()


LINKS = """
SELECT wave_id, respondent_id, partner_id, frequency, quality
FROM survey_answer WHERE cooperates AND list_contains($waves, wave_id)
ORDER BY wave_id, respondent_id, partner_id
"""


def measures_of(cur: duckdb.DuckDBPyConnection, wave_ids: Sequence[int]) -> dict[int, Measures]:
    """The measures of each wave, computed (networkx) from its stored answers."""
    ids = [int(w) for w in wave_ids]
    nodes: dict[int, list[Node]] = {w: [] for w in ids}
    for w, t, i, name, sector, level, seat in cur.execute(NODES, {"waves": ids}).fetchall():
        nodes[w].append((i, name, sector, is_ops(name, sector, level, seat, t)))
    links: dict[int, list[Link]] = {w: [] for w in ids}
    for w, r, p, f, q in cur.execute(LINKS, {"waves": ids}).fetchall():
        links[w].append((r, p, f, q))
    return {w: compute_rows(nodes[w], links[w]) for w in ids}


def store_measures(cur: duckdb.DuckDBPyConnection, wave_ids: Sequence[int]) -> int:
    """Recompute and keep the measures of the given waves (inside the caller's transaction), set-based
    (network.kept, proven equal to networkx by the tests)."""
    return kept.store_measures(cur, wave_ids)


def store_measure(cur: duckdb.DuckDBPyConnection, wave_id: int) -> None:
    store_measures(cur, [wave_id])


def _wave_row(cur: duckdb.DuckDBPyConnection, wave_id: int) -> dict[str, Any]:
    rel = cur.execute("SELECT * FROM survey_wave WHERE wave_id = ?", [wave_id])
    row = rel.fetchone()
    if row is None:
        raise NotFound(f"Nie ma badania nr {wave_id}.")
    return dict(zip([d[0] for d in rel.description], row, strict=True))


def wave_measures(conn: duckdb.DuckDBPyConnection, wave_id: int) -> Measures:
    """The measures of one wave (computed from its answers)."""
    cur = conn.cursor()
    _wave_row(cur, wave_id)
    return measures_of(cur, [wave_id])[wave_id]


def wave_graph(conn: duckdb.DuckDBPyConnection, wave_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wave's network to draw: nodes (institution_id, name, sector, sector_label, degree, isolated,
    in_degree, out_degree, is_ops) and directed edges (source, target, frequency, quality, initiates,
    reciprocal, frequency_label, initiates_label)."""
    cur = conn.cursor()
    _wave_row(cur, wave_id)
    nodes, answers = _frames(cur, [wave_id])
    g = graph(nodes, answers)
    degree, ins, outs = dict(g.degree()), dict(g.in_degree()), dict(g.out_degree())
    out = pd.DataFrame(
        {
            "institution_id": nodes["institution_id"].astype("int64"),
            "name": nodes["name"],
            "sector": nodes["sector"],
            "sector_label": nodes["sector"].map(SECTORS),
        }
    )
    ids = [int(i) for i in out["institution_id"]]
    out["degree"] = [degree[i] for i in ids]
    out["isolated"] = out["degree"] == 0
    out["in_degree"] = [ins[i] for i in ids]
    out["out_degree"] = [outs[i] for i in ids]
    out["is_ops"] = nodes["is_ops"].astype(bool).to_numpy()
    links = answers[answers["cooperates"].astype(bool)].rename(
        columns={"respondent_id": "source", "partner_id": "target"}
    )
    pairs = set(zip(links.source, links.target, strict=True))
    edges = pd.DataFrame(
        {
            "source": links["source"].astype("int64"),
            "target": links["target"].astype("int64"),
            "frequency": links["frequency"],
            "quality": links["quality"],
            "initiates": links["initiates"],
        }
    ).reset_index(drop=True)
    edges["reciprocal"] = [(t, s) in pairs for s, t in zip(edges.source, edges.target, strict=True)]
    edges["frequency_label"] = edges["frequency"].map(FREQUENCIES)
    edges["initiates_label"] = edges["initiates"].map(INITIATES)
    return out.reset_index(drop=True), edges


def pairs(conn: duckdb.DuckDBPyConnection, wave_id: int) -> pd.DataFrame:
    """Every answer of a wave, one row per pair (respondent, partner), as stored."""
    cur = conn.cursor()
    return cur.execute(
        "SELECT respondent_id, partner_id, cooperates, initiates, frequency, quality FROM survey_answer "
        "WHERE wave_id = ? ORDER BY respondent_id, partner_id",
        [wave_id],
    ).df()


# First diagnoza and last ewaluacja of each gmina: the baseline and the endline.
ENDS = """
SELECT terc,
       arg_min(wave_id, (held_on, wave_id)) FILTER (WHERE kind = 'diagnoza') AS baseline,
       min(held_on) FILTER (WHERE kind = 'diagnoza') AS baseline_on,
       arg_max(wave_id, (held_on, wave_id)) FILTER (WHERE kind = 'ewaluacja') AS endline,
       max(held_on) FILTER (WHERE kind = 'ewaluacja') AS endline_on
FROM survey_wave WHERE $terc IS NULL OR terc = $terc
GROUP BY terc
"""


def _ends(cur: duckdb.DuckDBPyConnection, terc: str | None) -> pd.DataFrame:
    return cur.execute(ENDS, {"terc": terc}).df()


def change(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """Every measure of the gmina's first diagnoza (baseline) and last ewaluacja (endline), and the
    change; a missing wave leaves its column empty."""
    cur = conn.cursor()
    ends = _ends(cur, terc)
    first: dict[Any, Any] = ends.iloc[0].to_dict() if len(ends) else {}
    ids = {k: int(first[k]) for k in ("baseline", "endline") if pd.notna(first.get(k))}
    found = measures_of(cur, list(ids.values()))
    values = {k: found[v].scalars() for k, v in ids.items()}
    rows = []
    for name in SCALARS:
        before = values.get("baseline", {}).get(name)
        after = values.get("endline", {}).get(name)
        diff = after - before if before is not None and after is not None else None
        rows.append((name, LABELS[name], EXPLANATIONS[name], before, after, diff))
    return pd.DataFrame(rows, columns=["measure", "label", "explanation", "baseline", "endline", "change"])


_SECTOR_LABELS = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in SECTORS.items())
REGION = f"""
WITH ends AS ({ENDS.replace("WHERE $terc IS NULL OR terc = $terc", "")}),
places AS (SELECT terc FROM pilot_gmina UNION SELECT terc FROM survey_wave),
kept AS (
    SELECT m.wave_id, m.density, m.isolated, m.sectors_never_linked, m.row_version = w.row_version AS fresh
    FROM wave_measure m JOIN survey_wave w USING (wave_id)
)
SELECT p.terc, g.name AS gmina, e.baseline_on, e.endline_on,
       b.density AS density_before, a.density AS density_after,
       b.isolated AS isolated_before, a.isolated AS isolated_after,
       array_to_string(list_transform(
           CASE WHEN e.endline IS NULL THEN b.sectors_never_linked ELSE a.sectors_never_linked END,
           lambda s: CASE s {_SECTOR_LABELS} ELSE s END), ', ') AS sectors_never_linked,
       e.baseline, e.endline,
       (e.baseline IS NOT NULL AND b.fresh IS NOT true) OR (e.endline IS NOT NULL AND a.fresh IS NOT true)
           AS stale
FROM places p
LEFT JOIN gmina g USING (terc)
LEFT JOIN ends e USING (terc)
LEFT JOIN kept b ON b.wave_id = e.baseline
LEFT JOIN kept a ON a.wave_id = e.endline
ORDER BY g.name, p.terc
"""
REGION_COLUMNS = [
    "terc", "gmina", "baseline_on", "endline_on", "density_before", "density_after",
    "isolated_before", "isolated_after", "sectors_never_linked",
]  # fmt: skip


def _never_linked(codes: Sequence[str]) -> str:
    return ", ".join(SECTORS.get(c, c) for c in codes)


def region_table(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per pilot gmina (and any gmina with a wave): density and isolated institutions before (first
    diagnoza) → after (last ewaluacja), and the sectors of the latest of the two with no link to
    another sector. Read from wave_measure (kept by every write of a wave and its answers); a wave
    changed without it (an import) is recomputed here for this read."""
    cur = conn.cursor()
    table = cur.execute(REGION).df()
    table["sectors_never_linked"] = table["sectors_never_linked"].fillna("")
    if table["stale"].any():
        stale = table[table["stale"]]
        ids = [int(w) for w in pd.concat([stale["baseline"], stale["endline"]]).dropna()]
        found = measures_of(cur, ids)
        for i, base, end in zip(
            stale.index, stale["baseline"].tolist(), stale["endline"].tolist(), strict=True
        ):
            before = found.get(int(base)) if pd.notna(base) else None
            after = found.get(int(end)) if pd.notna(end) else None
            for m, suffix in ((before, "before"), (after, "after")):
                table.at[i, f"density_{suffix}"] = m.density if m else None
                table.at[i, f"isolated_{suffix}"] = m.isolated if m else None
            latest = after or before
            table.at[i, "sectors_never_linked"] = _never_linked(latest.sectors_never_linked) if latest else ""
    table["isolated_before"] = table["isolated_before"].astype("Int64")
    table["isolated_after"] = table["isolated_after"].astype("Int64")
    return table[REGION_COLUMNS]


ISOLATED_MEMBERS = """
WITH last AS (
    SELECT wave_id, held_on, kind FROM survey_wave WHERE terc = $terc
    ORDER BY held_on DESC, wave_id DESC LIMIT 1
), a AS (
    SELECT * FROM survey_answer WHERE wave_id = (SELECT wave_id FROM last)
), nodes AS (
    SELECT respondent_id AS id FROM a UNION SELECT partner_id FROM a
), linked AS (
    SELECT respondent_id AS id FROM a WHERE cooperates UNION SELECT partner_id FROM a WHERE cooperates
)
SELECT DISTINCT i.institution_id, i.name, i.sector, last.wave_id, last.held_on, last.kind
FROM pzk_member p
JOIN nodes n ON n.id = p.institution_id
JOIN institution i ON i.institution_id = p.institution_id
CROSS JOIN last
WHERE p.terc = $terc AND p.left_on IS NULL AND p.institution_id NOT IN (SELECT id FROM linked)
ORDER BY i.name
"""


def isolated_members(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """The gmina's current PZK members that are isolated in its latest wave (no link either way):
    institution_id, name, sector, sector_label, wave_id, held_on, kind, kind_label."""
    df = conn.cursor().execute(ISOLATED_MEMBERS, {"terc": terc}).df()
    df.insert(3, "sector_label", df["sector"].map(SECTORS))
    df["kind_label"] = df["kind"].map(WAVE_KINDS)
    return df


def _version(cur: duckdb.DuckDBPyConnection, table: str, terc: str, as_of: date | None) -> date | None:
    """The date of the version in force on `as_of` (the latest when None) of a gmina's map or card."""
    found = cur.execute(
        f"SELECT max(as_of) FROM {ident(table)} WHERE terc = $terc AND ($on IS NULL OR as_of <= $on)",
        {"terc": terc, "on": as_of},
    ).fetchall()
    return found[0][0] if found else None


PROBLEM_MAP = """
SELECT m.entry_id, m.terc, m.as_of, m.problem_code, coalesce(pa.label, m.problem_code) AS problem_label,
       m.families, m.rating, m.trend, m.note, m.row_version
FROM problem_map m LEFT JOIN problem_area pa ON pa.code = m.problem_code
WHERE m.terc = $terc AND m.as_of = $on
ORDER BY problem_label
"""


def problem_map(conn: duckdb.DuckDBPyConnection, terc: str, as_of: date | None = None) -> pd.DataFrame:
    """The gmina's problem map as it stood on `as_of` (its latest version by then; the latest if None)."""
    cur = conn.cursor()
    df = cur.execute(PROBLEM_MAP, {"terc": terc, "on": _version(cur, "problem_map", terc, as_of)}).df()
    df.insert(8, "trend_label", df["trend"].map(TRENDS))
    return df


RESOURCES = """
SELECT r.entry_id, r.terc, r.as_of, r.institution_id, i.name, i.sector, i.level, r.note, r.row_version
FROM resource_card r JOIN institution i USING (institution_id)
WHERE r.terc = $terc AND r.as_of = $on
ORDER BY i.sector, i.name
"""


def resources(conn: duckdb.DuckDBPyConnection, terc: str, as_of: date | None = None) -> pd.DataFrame:
    """The gmina's resources card as it stood on `as_of` (its latest version by then; latest if None),
    by sector."""
    cur = conn.cursor()
    df = cur.execute(RESOURCES, {"terc": terc, "on": _version(cur, "resource_card", terc, as_of)}).df()
    df.insert(6, "sector_label", df["sector"].map(SECTORS))
    df.insert(8, "level_label", df["level"].map(LEVELS))
    return df


def diagnosis_dates(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """The dates the gmina's problem map and resources card were saved for (its versions), newest first."""
    return (
        conn.cursor()
        .execute(
            "SELECT DISTINCT 'problem_map' AS part, as_of FROM problem_map WHERE terc = $terc UNION "
            "SELECT DISTINCT 'resource_card', as_of FROM resource_card WHERE terc = $terc "
            "ORDER BY as_of DESC, part",
            {"terc": terc},
        )
        .df()
    )


WAVE_INSTITUTIONS = f"""
WITH w AS (SELECT * FROM survey_wave WHERE wave_id = $wave),
card AS (
    SELECT r.institution_id FROM resource_card r, w
    WHERE r.terc = w.terc AND r.as_of = (
        SELECT max(as_of) FROM resource_card c WHERE c.terc = w.terc AND c.as_of <= w.held_on)
), listed AS (
    SELECT p.institution_id FROM pzk_member p, w
    WHERE p.terc = w.terc AND {rules.PZK_MEMBER_SQL.format(m="p", on="w.held_on")}
    UNION SELECT institution_id FROM card
    UNION SELECT respondent_id FROM survey_answer WHERE wave_id = $wave
    UNION SELECT partner_id FROM survey_answer WHERE wave_id = $wave
), fallback AS (
    SELECT i.institution_id FROM institution i, w
    WHERE i.seat_terc = w.terc AND NOT EXISTS (SELECT 1 FROM listed)
)
SELECT i.institution_id, i.name, i.sector, i.level,
       EXISTS (SELECT 1 FROM survey_answer a WHERE a.wave_id = $wave
               AND a.respondent_id = i.institution_id) AS responded
FROM institution i
WHERE i.institution_id IN (SELECT institution_id FROM listed UNION SELECT institution_id FROM fallback)
ORDER BY i.name
"""


def wave_institutions(conn: duckdb.DuckDBPyConnection, wave_id: int) -> pd.DataFrame:
    """The institutions a wave asks about: the PZK members on its day, its resources card, those already
    in its answers (the gmina's own institutions when none of these exist yet)."""
    df = conn.cursor().execute(WAVE_INSTITUTIONS, {"wave": wave_id}).df()
    df.insert(3, "sector_label", df["sector"].map(SECTORS))
    return df


GRID = """
SELECT i.institution_id AS partner_id, a.wave_id IS NOT NULL AS answered, a.cooperates, a.initiates,
       a.frequency, a.quality
FROM institution i
LEFT JOIN survey_answer a ON a.partner_id = i.institution_id AND a.wave_id = $wave AND a.respondent_id = $who
WHERE list_contains($ids, i.institution_id)
"""


def answers_grid(conn: duckdb.DuckDBPyConnection, wave_id: int, respondent_id: int) -> pd.DataFrame:
    """One respondent's row of a wave as a grid: one line per other institution of the wave
    (partner_id, name, sector, sector_label, answered, cooperates, initiates, frequency, quality)."""
    people = wave_institutions(conn, wave_id)
    people = people[people["institution_id"] != respondent_id]
    ids = [int(i) for i in people["institution_id"]]
    found = conn.cursor().execute(GRID, {"wave": wave_id, "who": respondent_id, "ids": ids}).df()
    grid = people.rename(columns={"institution_id": "partner_id"})[
        ["partner_id", "name", "sector", "sector_label"]
    ]
    return grid.merge(found, on="partner_id", how="left").reset_index(drop=True)
