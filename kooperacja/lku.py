"""Lokalny koszyk usług: the services registry, what a gmina can reach, its export and its gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from kooperacja.lku_checks import check_service, load_service_context
from kooperacja.model import xlsx as export
from kooperacja.model.access import Actor, can_edit_service, require_edit_service, require_write_data
from kooperacja.model.checks import refuse
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import plural
from kooperacja.model.records import Service, correction_reason
from kooperacja.model.vocab import LEVELS, PROBLEM_AREAS, SECTORS, SERVICE_CATEGORIES, TARGET_GROUPS
from kooperacja.warehouse import fetch_dicts, transaction
from kooperacja.warehouse.store import delete, get_row, idempotent, insert, update


@dataclass(frozen=True)
class ServiceFilter:
    """What the registry search narrows by; None means "any". `on`: valid on that day."""

    terc: str | None = None  # services available to this gmina (its own, its powiat's, the region's)
    category: str | None = None
    problem: str | None = None
    target_group: str | None = None
    sector: str | None = None
    level: str | None = None
    on: date | None = None
    text: str | None = None


# A service is available to a gmina when it is the gmina's own, its powiat's or its region's.
AVAILABLE_TO = """(s.level = 'gmina' AND s.area_terc = {t}
     OR s.level = 'powiat' AND s.area_terc = left({t}, 4)
     OR s.level = 'region' AND s.area_terc = left({t}, 2))"""
VALID_ON = "(s.valid_from <= {d} AND (s.valid_to IS NULL OR s.valid_to >= {d}))"

# No ORDER BY: DuckDB sorted the 26k wide rows (texts, two lists) on four keys, half of the read;
# `ordered_frame` sorts the fetched Arrow table by its keys in C++ instead (DuckDB orders text by
# its bytes, as Arrow does: the same order, proven on the national copy and in the tests).
SEARCH = f"""
SELECT CASE s.level WHEN 'gmina' THEN 1 WHEN 'powiat' THEN 2 ELSE 3 END AS level_rank,
       s.service_id, s.name, i.name AS provider, i.sector, s.category, s.target_groups,
       s.problem_areas, s.level, s.area_terc, s.access, s.contact, s.valid_from, s.valid_to,
       s.institution_id
FROM service s JOIN institution i USING (institution_id)
WHERE ($terc IS NULL OR {AVAILABLE_TO.format(t="$terc")})
  AND ($on IS NULL OR {VALID_ON.format(d="$on")})
  AND ($category IS NULL OR s.category = $category)
  AND ($problem IS NULL OR list_contains(s.problem_areas, $problem))
  AND ($target_group IS NULL OR list_contains(s.target_groups, $target_group))
  AND ($sector IS NULL OR i.sector = $sector)
  AND ($level IS NULL OR s.level = $level)
  AND ($text IS NULL OR s.name ILIKE '%' || $text || '%' OR i.name ILIKE '%' || $text || '%')
"""
SEARCH_ORDER = ("level_rank", "area_terc", "name", "service_id")  # gmina-level first


def ordered_frame(rel: duckdb.DuckDBPyRelation, keys: tuple[str, ...], drop: tuple[str, ...]) -> pd.DataFrame:
    """The rows as `arrow_frame` gives them (dates as datetime64[us]), ordered by `keys` (ascending,
    none of them NULL), without the helper columns `drop`: the Arrow table's indices are sorted and
    taken in C++, where DuckDB's ORDER BY moved every wide row."""
    table = rel.to_arrow_table()
    table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys]))
    table = table.drop_columns(list(drop))
    if any(pa.types.is_date(kind) for kind in table.schema.types):
        columns = [c.cast(pa.timestamp("us")) if pa.types.is_date(c.type) else c for c in table.columns]
        table = pa.table(columns, names=table.column_names)
    return table.to_pandas()


def search(conn: duckdb.DuckDBPyConnection, flt: ServiceFilter) -> pd.DataFrame:
    """Services matching every set field of the filter, gmina-level first."""
    params = {k: getattr(flt, k) for k in ServiceFilter.__dataclass_fields__}
    params["text"] = (flt.text or "").strip() or None
    return ordered_frame(conn.cursor().sql(SEARCH, params=params), SEARCH_ORDER, ("level_rank",))


def available_to(conn: duckdb.DuckDBPyConnection, terc: str, on: date) -> pd.DataFrame:
    """The lokalny koszyk of a gmina on a day: its own, its powiat's and the region's services."""
    return search(conn, ServiceFilter(terc=terc, on=on))


CARD = """
SELECT s.*, i.name AS provider, i.sector, i.seat_terc,
       coalesce(g.name, p.name, w.name, s.area_terc) AS area_name,
       (SELECT count(*) FROM case_service cs WHERE cs.service_id = s.service_id) AS baskets
FROM service s JOIN institution i USING (institution_id)
LEFT JOIN gmina g ON s.level = 'gmina' AND g.terc = s.area_terc
LEFT JOIN powiat p ON s.level = 'powiat' AND p.terc = s.area_terc
LEFT JOIN wojewodztwo w ON s.level = 'region' AND w.terc = s.area_terc
WHERE s.service_id = ?
"""


def service_card(conn: duckdb.DuckDBPyConnection, service_id: int) -> dict[str, Any]:
    """One service with its provider and how many individual baskets hold it."""
    rows = fetch_dicts(conn.cursor(), CARD, [service_id])
    if not rows:
        raise InvalidInput([f"Usługa: nie ma usługi nr {service_id}"])
    return rows[0]


def _labels(codes: pd.Series, vocabulary: dict[str, str]) -> pd.Series:
    """Each list of codes as its labels joined by ", " ("" for a missing or empty list; an unknown code
    as itself), in Arrow's C++: the codes of all the lists looked up at once, not row by row."""
    lists = pa.array(codes.to_numpy(dtype=object), type=pa.list_(pa.string()), from_pandas=True)
    flat = lists.flatten()
    found = pc.index_in(flat, value_set=pa.array(list(vocabulary), pa.string()))
    named = pc.coalesce(pc.take(pa.array(list(vocabulary.values()), pa.string()), found), flat)
    joined = pc.binary_join(pa.ListArray.from_arrays(lists.offsets, named, mask=lists.is_null()), ", ")
    return pd.Series(pc.fill_null(joined, "").to_pandas()).astype("str")


LIST_COLUMNS = [
    "Lp.",
    "Nazwa usługi/aktywności",
    "Realizator",
    "Kategoria",
    "Dla kogo",
    "Obszary problemowe",
    "Poziom",
    "Jak skorzystać",
    "Kontakt",
    "Ważna od",
    "Ważna do",
]


def activity_list(services: pd.DataFrame) -> pd.DataFrame:
    """Services in the shape of the ROPS's "lista aktywności i usług" (Polish headers, labels).

    Column by column (26k national services: 4 s row by row); the text columns keep their Arrow
    strings, not copied into Python objects."""
    s = services.reset_index(drop=True)
    columns = [
        np.arange(1, len(s) + 1, dtype="int64"),
        s["name"],
        s["provider"],
        s["category"].map(SERVICE_CATEGORIES).fillna(s["category"]).astype("str"),
        _labels(s["target_groups"], TARGET_GROUPS),
        _labels(s["problem_areas"], PROBLEM_AREAS),
        s["level"].map(LEVELS).fillna(s["level"]).astype("str"),
        s["access"],
        s["contact"],
        s["valid_from"],
        s["valid_to"],
    ]
    return pd.DataFrame(dict(zip(LIST_COLUMNS, columns, strict=True)))


def to_xlsx(services: pd.DataFrame) -> bytes:
    """The list of activities and services as an XLSX workbook."""
    return export.to_xlsx(activity_list(services), sheet_name="Lista aktywności i usług")


GAP_STATES = {"gap": "brak usługi", "covered": "jest usługa", "offer_only": "usługa bez spraw", "none": "—"}
# Every pilot gmina (by name, namesakes by TERC) × every problem area (by label) is one cell of the
# grid: gmina number gi, area number ai, in that order (GAP_PILOT, GAP_AREAS). GAP_CELLS counts, by
# integer cell, only the cells with a need or an offer; `gaps` spreads them over the whole grid and
# joins the names late, in Arrow and numpy (the 37k rows of four texts were built, joined on two
# texts and sorted in SQL).
# - needs: the diagnosed problems of each gmina's cases referred by the day (a row of case_problem is
#   one (case, problem), its primary key: each counted once with no DISTINCT);
# - offer: the valid services that address each area, counted once per (level, area, problem) — a
#   service has one level and one area, so for a gmina its own, its powiat's and its region's counts
#   add up to the distinct services available to it (AVAILABLE_TO as three equality joins: the OR
#   join ran as a nested loop, 0.4 s over the national 2,479 gminy × 29,545 services).
GAP_PILOT = """
SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc) WHERE $terc IS NULL OR p.terc = $terc
ORDER BY g.name, p.terc
"""
GAP_AREAS = "SELECT code AS problem_code, label AS problem FROM problem_area ORDER BY label, code"
NEEDS = """
SELECT c.terc, p.problem_code, count(*) AS cases,
       count(*) FILTER (WHERE c.closed_on IS NULL OR c.closed_on > $on) AS open_cases
FROM case_file c
JOIN case_problem p USING (case_code)
WHERE c.referred_on <= $on AND ($terc IS NULL OR c.terc = $terc)
GROUP BY ALL
"""
GAP_CELLS = f"""
WITH pilot AS (
    SELECT p.terc, row_number() OVER (ORDER BY g.name, p.terc) - 1 AS gi
    FROM pilot_gmina p JOIN gmina g USING (terc) WHERE $terc IS NULL OR p.terc = $terc
), areas AS (
    SELECT code AS problem_code, row_number() OVER (ORDER BY label, code) - 1 AS ai FROM problem_area
), needs AS (
    SELECT g.gi, a.ai, n.cases, n.open_cases
    FROM ({NEEDS}) n
    JOIN pilot g USING (terc)
    JOIN areas a USING (problem_code)
), offer_at AS (
    SELECT s.level, s.area_terc, a.ai, count(DISTINCT s.service_id) AS services
    FROM (
        SELECT service_id, level, area_terc, unnest(problem_areas) AS problem_code
        FROM service s WHERE {VALID_ON.format(d="$on")}
    ) s
    JOIN areas a USING (problem_code)
    GROUP BY ALL
), reach AS (
    SELECT gi, 'gmina' AS level, terc AS area_terc FROM pilot
    UNION ALL SELECT gi, 'powiat', left(terc, 4) FROM pilot
    UNION ALL SELECT gi, 'region', left(terc, 2) FROM pilot
), offer AS (
    SELECT r.gi, o.ai, sum(o.services)::BIGINT AS services
    FROM reach r JOIN offer_at o USING (level, area_terc)
    GROUP BY ALL
)
SELECT coalesce(n.gi, o.gi) AS gi, coalesce(n.ai, o.ai) AS ai, n.cases, n.open_cases, o.services
FROM needs n FULL JOIN offer o ON o.gi = n.gi AND o.ai = n.ai
"""
STATE_CODES = pa.array(["none", "offer_only", "gap", "covered"])  # 2 × (cases > 0) + (services > 0)


def gaps(conn: duckdb.DuckDBPyConnection, on: date, terc: str | None = None) -> pd.DataFrame:
    """Every pilot gmina × problem area: cases with it, services nearby for it, and the state.

    State "gap": the gmina's cases have the problem and no valid service available to the gmina
    (its own, its powiat's, the region's) addresses it.
    """
    cur = conn.cursor()
    cur.execute("BEGIN TRANSACTION")  # the three reads see one state of the warehouse
    try:
        pilot = cur.sql(GAP_PILOT, params={"terc": terc}).to_arrow_table()
        areas = cur.sql(GAP_AREAS).to_arrow_table()
        cells = cur.sql(GAP_CELLS, params={"on": on, "terc": terc}).to_arrow_table()
    finally:
        cur.execute("COMMIT")
    width = areas.num_rows
    at = cells["gi"].to_numpy() * width + cells["ai"].to_numpy()

    def spread(column: str) -> np.ndarray:
        grid = np.zeros(pilot.num_rows * width, dtype="int64")
        grid[at] = cells[column].fill_null(0).to_numpy()
        return grid

    cases, services = spread("cases"), spread("services")
    gi = pa.array(np.repeat(np.arange(pilot.num_rows), width))
    ai = pa.array(np.tile(np.arange(width), pilot.num_rows))
    table = pa.table(
        {
            "terc": pilot["terc"].take(gi),
            "name": pilot["name"].take(gi),
            "problem_code": areas["problem_code"].take(ai),
            "problem": areas["problem"].take(ai),
            "cases": cases,
            "open_cases": spread("open_cases"),
            "services": services,
            "state": STATE_CODES.take(pa.array(2 * (cases > 0) + (services > 0))),
        }
    )
    return table.to_pandas()


# The heatmap's most gminy (its columns): the national 2,479 drew 37k cells no one can read, and
# serialising them cost ~1 s at every run of the page and ~30 MB; the real-region demo has 144.
GAP_MAP_GMINY = 150


def gap_map(gap_frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The cells the gap heatmap draws and whether some gminy were left out: every gmina's, or past
    GAP_MAP_GMINY gminy those of the GAP_MAP_GMINY with the most gaps (ties in the grid's order: by
    name), in the grid's order. The gap table lists every gap either way."""
    if gap_frame.terc.nunique() <= GAP_MAP_GMINY:
        return gap_frame, False
    per_gmina = gap_frame.state.eq("gap").groupby(gap_frame.terc, sort=False).sum()
    most = per_gmina.sort_values(ascending=False, kind="stable").index[:GAP_MAP_GMINY]
    return gap_frame[gap_frame.terc.isin(most)].reset_index(drop=True), True


def gap_list(gap_frame: pd.DataFrame) -> pd.DataFrame:
    """Only the gaps, the ones with the most cases first."""
    found = gap_frame[gap_frame.state == "gap"]
    return found.sort_values(["cases", "name"], ascending=[False, True], ignore_index=True)


PROVIDERS = """
SELECT i.institution_id, i.name || coalesce(' (' || coalesce(g.name, p.name, w.name) || ')', '')
FROM institution i
LEFT JOIN gmina g ON g.terc = i.seat_terc
LEFT JOIN powiat p ON p.terc = i.seat_terc
LEFT JOIN wojewodztwo w ON w.terc = i.seat_terc
WHERE i.institution_id = $keep
   OR $area IS NULL AND ($level IS NULL OR i.level = $level)
   OR $area IS NOT NULL AND (i.seat_terc = left($area, 2) OR i.seat_terc LIKE left($area, 4) || '%')
ORDER BY i.name, i.institution_id
"""
AREA_CHOICES = {
    "gmina": "SELECT g.terc, g.name || coalesce(' (pow. ' || p.name || ')', '') FROM gmina g "
    "LEFT JOIN powiat p ON p.terc = left(g.terc, 4) ORDER BY g.name, g.terc",
    "powiat": "SELECT terc, 'powiat ' || name FROM powiat ORDER BY name",
    "region": "SELECT terc, 'województwo ' || lower(name) FROM wojewodztwo ORDER BY name",
}


def provider_choices(
    conn: duckdb.DuckDBPyConnection,
    *,
    area: str | None = None,
    level: str | None = None,
    keep: int | None = None,
) -> dict[int, str]:
    """Institution id → "name (its seat)": those seated in the area's powiat (any of them for a powiat or
    region area: its own seat and below) or at its region; without an area, those of `level` (all by
    default). `keep`: an institution listed whatever it is (the one a saved record names)."""
    params = {"area": area, "level": level, "keep": keep}
    return dict(conn.cursor().execute(PROVIDERS, params).fetchall())


PILOT_CHOICES = """
SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc) ORDER BY g.name, p.terc
"""


def pilot_choices(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """TERC → name of the pilot gminy, by name: the registry's "Dostępne w gminie" filter (two columns,
    not the twelve of `queries.list_pilot_gminy` through pandas at every run of the page)."""
    return dict(conn.cursor().execute(PILOT_CHOICES).fetchall())


def area_choices(conn: duckdb.DuckDBPyConnection, actor: Actor, level: str) -> dict[str, str]:
    """TERC → name of the areas of `level` the actor may keep services for (an admin: all)."""
    found = dict(conn.cursor().execute(AREA_CHOICES[level]).fetchall())
    return {t: name for t, name in found.items() if can_edit_service(actor, level, t)}


def _check_provider(cur: duckdb.DuckDBPyConnection, record: Service) -> None:
    refuse(Service, check_service(record, load_service_context(cur, record.institution_id)))


@idempotent
def add_service(
    conn: duckdb.DuckDBPyConnection, actor: Actor, data: dict[str, Any], *, form_token: str | None = None
) -> int:
    """A new service in the registry (gmina/powiat list, or the region's list for admins)."""
    record = Service.parse({**data, "service_id": None})
    assert isinstance(record, Service)
    require_edit_service(actor, record.level, record.area_terc)
    with transaction(conn) as cur:
        _check_provider(cur, record)
        return insert(cur, actor.username, record, terc=record.area_terc)


def update_service(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    service_id: int,
    changes: dict[str, Any],
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> Service:
    """Correct a saved service (a required reason); the actor must be allowed both before and after.

    The changed service passes the same check as a new one (the form's and the import's).
    """
    reason = correction_reason(reason)
    return _change(conn, actor, service_id, changes, reason, expected_version)


def end_service(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    service_id: int,
    valid_to: date,
    *,
    expected_version: int | None = None,
) -> Service:
    """The service is offered until `valid_to` (its last day); cases keep it in their history."""
    return _change(conn, actor, service_id, {"valid_to": valid_to}, None, expected_version)


def _change(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    service_id: int,
    changes: dict[str, Any],
    reason: str | None,
    expected_version: int | None,
) -> Service:
    require_write_data(actor, "zmieniać usług")
    with transaction(conn) as cur:
        before = get_row(cur, Service, service_id)
        require_edit_service(actor, before["level"], before["area_terc"])
        after = Service.parse({**{k: before[k] for k in Service.model_fields}, **changes})
        assert isinstance(after, Service)
        require_edit_service(actor, after.level, after.area_terc)
        _check_provider(cur, after)
        _refuse_ending_before_use(cur, after, service_id)
        version = expected_version
        record = update(cur, actor.username, Service, service_id, changes, version, reason=reason)
        assert isinstance(record, Service)
        return record


LATEST_USE = """
SELECT case_code, from_on FROM case_service WHERE service_id = ? AND from_on > ?
ORDER BY from_on DESC, case_code LIMIT 1
"""


def _refuse_ending_before_use(cur: duckdb.DuckDBPyConnection, record: Service, service_id: int) -> None:
    """A service cannot end before a case's basket started using it."""
    if record.valid_to is None:
        return
    found = cur.execute(LATEST_USE, [service_id, record.valid_to]).fetchall()
    if found:
        code, from_on = found[0]
        raise InvalidInput(
            [
                f"Ważna do: usługa jest w koszyku sprawy {code} od {from_on:%d.%m.%Y} — "
                "podaj tę datę lub późniejszą"
            ]
        )


BASKETS = "SELECT DISTINCT case_code FROM case_service WHERE service_id = ? ORDER BY case_code"


def withdraw_service(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    service_id: int,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Take out a service entered by mistake (audited with the reason); one in a case's basket is
    refused — such a service is ended (`end_service`) instead, so the cases keep what they used."""
    reason = correction_reason(reason)
    require_write_data(actor, "zmieniać usług")
    with transaction(conn) as cur:
        before = get_row(cur, Service, service_id)
        require_edit_service(actor, before["level"], before["area_terc"])
        cases = [r[0] for r in cur.execute(BASKETS, [service_id]).fetchall()]
        if cases:
            shown = ", ".join(cases[:10]) + (" …" if len(cases) > 10 else "")
            raise InvalidInput(
                [
                    f"Usługa „{before['name']}”: jest w koszykach spraw "
                    f"({plural(len(cases), 'sprawa', 'sprawy', 'spraw')}: {shown}) — nie można jej "
                    "wycofać; zakończ ją, wpisując datę „Ważna do”"
                ]
            )
        delete(cur, actor.username, Service, service_id, reason=reason, expected_version=expected_version)


def sector_label(code: str) -> str:
    return SECTORS.get(code, code)
