"""The services basket's reads (issue 16, fifth round): the same rows, columns and order as before.

The old queries are kept here verbatim as the oracle: the gap grid sorted as 37k wide rows in SQL, the
offer counted DISTINCT over every (gmina, problem, service), the search sorted as wide rows in SQL.
"""

from __future__ import annotations

import inspect
from datetime import date
from typing import Any

import pandas as pd
import pytest

from kooperacja import lku
from kooperacja.cases.stats import arrow_frame
from kooperacja.model.access import Actor
from kooperacja.model.vocab import LEVELS, PROBLEM_AREAS, SERVICE_CATEGORIES, TARGET_GROUPS

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")

OLD_AVAILABLE_TO = """(s.level = 'gmina' AND s.area_terc = {t}
     OR s.level = 'powiat' AND s.area_terc = left({t}, 4)
     OR s.level = 'region' AND s.area_terc = left({t}, 2))"""
OLD_VALID_ON = "(s.valid_from <= {d} AND (s.valid_to IS NULL OR s.valid_to >= {d}))"
OLD_SEARCH = f"""
SELECT s.service_id, s.name, i.name AS provider, i.sector, s.category, s.target_groups,
       s.problem_areas, s.level, s.area_terc, s.access, s.contact, s.valid_from, s.valid_to,
       s.institution_id
FROM service s JOIN institution i USING (institution_id)
WHERE ($terc IS NULL OR {OLD_AVAILABLE_TO.format(t="$terc")})
  AND ($on IS NULL OR {OLD_VALID_ON.format(d="$on")})
  AND ($category IS NULL OR s.category = $category)
  AND ($problem IS NULL OR list_contains(s.problem_areas, $problem))
  AND ($target_group IS NULL OR list_contains(s.target_groups, $target_group))
  AND ($sector IS NULL OR i.sector = $sector)
  AND ($level IS NULL OR s.level = $level)
  AND ($text IS NULL OR s.name ILIKE '%' || $text || '%' OR i.name ILIKE '%' || $text || '%')
ORDER BY CASE s.level WHEN 'gmina' THEN 1 WHEN 'powiat' THEN 2 ELSE 3 END, s.area_terc, s.name,
         s.service_id
"""
OLD_NEEDS = """
SELECT n.* FROM (
    SELECT c.terc, p.problem_code, count(*) AS cases,
           count(*) FILTER (WHERE c.closed_on IS NULL OR c.closed_on > $on) AS open_cases
    FROM case_file c
    JOIN case_problem p USING (case_code)
    WHERE c.referred_on <= $on AND ($terc IS NULL OR c.terc = $terc)
    GROUP BY ALL
) n SEMI JOIN pilot_gmina g ON g.terc = n.terc
"""
OLD_OFFER = f"""
WITH pilot AS (SELECT terc FROM pilot_gmina WHERE $terc IS NULL OR terc = $terc),
areas AS (
    SELECT terc, 'gmina' AS level, terc AS area_terc FROM pilot
    UNION ALL SELECT terc, 'powiat', left(terc, 4) FROM pilot
    UNION ALL SELECT terc, 'region', left(terc, 2) FROM pilot
), reach AS (
    SELECT a.terc, unnest(s.problem_areas) AS problem_code, s.service_id
    FROM areas a
    JOIN service s ON s.level = a.level AND s.area_terc = a.area_terc
    WHERE {OLD_VALID_ON.format(d="$on")}
)
SELECT terc, problem_code, count(DISTINCT service_id) AS services FROM reach GROUP BY ALL
"""
OLD_GAPS = f"""
WITH pilot AS (
    SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc) WHERE $terc IS NULL OR p.terc = $terc
), areas AS (
    SELECT code AS problem_code, label AS problem FROM problem_area
), needs AS ({OLD_NEEDS}), offer AS ({OLD_OFFER})
SELECT p.terc, p.name, a.problem_code, a.problem, coalesce(n.cases, 0) AS cases,
       coalesce(n.open_cases, 0) AS open_cases, coalesce(o.services, 0) AS services,
       CASE WHEN n.cases > 0 AND o.services > 0 THEN 'covered' WHEN n.cases > 0 THEN 'gap'
            WHEN o.services > 0 THEN 'offer_only' ELSE 'none' END AS state
FROM pilot p CROSS JOIN areas a
LEFT JOIN needs n ON n.terc = p.terc AND n.problem_code = a.problem_code
LEFT JOIN offer o ON o.terc = p.terc AND o.problem_code = a.problem_code
ORDER BY p.name, p.terc, a.problem, a.problem_code
"""


def old_gaps(conn, on: date, terc: str | None = None) -> pd.DataFrame:
    return arrow_frame(conn.cursor().sql(OLD_GAPS, params={"on": on, "terc": terc}))


def old_search(conn, flt: lku.ServiceFilter) -> pd.DataFrame:
    params = {k: getattr(flt, k) for k in lku.ServiceFilter.__dataclass_fields__}
    params["text"] = (flt.text or "").strip() or None
    return arrow_frame(conn.cursor().sql(OLD_SEARCH, params=params))


def assert_reads_as_before(conn) -> None:
    terc = conn.execute("SELECT min(terc) FROM pilot_gmina").fetchone()[0]
    for on, one in ((TODAY, None), (TODAY, terc), (date(2026, 3, 1), None), (date(2020, 1, 1), None)):
        pd.testing.assert_frame_equal(lku.gaps(conn, on, one), old_gaps(conn, on, one))
    filters = [
        lku.ServiceFilter(on=TODAY),
        lku.ServiceFilter(),
        lku.ServiceFilter(terc=terc, on=TODAY),
        lku.ServiceFilter(level="powiat", problem="przemoc"),
        lku.ServiceFilter(text="ś"),  # Polish letters: DuckDB and Arrow both order text by its bytes
    ]
    for flt in filters:
        pd.testing.assert_frame_equal(lku.search(conn, flt), old_search(conn, flt))


def test_the_reads_sort_no_wide_rows_in_sql():
    assert "ORDER BY" not in lku.SEARCH
    assert lku.GAP_CELLS.count("ORDER BY") == 2  # only the numbering of the gminy and the areas
    assert "CROSS JOIN" not in lku.GAP_CELLS  # the grid's names are joined late, not as 37k text rows
    assert "count(DISTINCT service_id) AS services FROM reach" not in lku.GAP_CELLS


def test_an_empty_warehouse_has_the_same_empty_grid(conn):
    pd.testing.assert_frame_equal(lku.gaps(conn, TODAY), old_gaps(conn, TODAY))


def test_the_services_reads_give_what_the_old_queries_gave_on_the_demo(demo_conn):
    assert_reads_as_before(demo_conn)
    gaps = lku.gaps(demo_conn, TODAY)
    assert set(gaps.state) >= {"gap", "covered"} and len(gaps) > 100


def test_after_services_with_a_repeated_problem_and_a_namesake_gmina_the_reads_are_as_before(demo_conn):
    """A service may name a problem twice (counted once), and two pilot gminy may share a name."""
    row = demo_conn.execute(
        "SELECT institution_id, level, area_terc, problem_areas FROM service WHERE level = 'gmina' LIMIT 1"
    ).fetchone()
    problems = [row[3][0], row[3][0], "przemoc"]
    for level, area in ((row[1], row[2]), ("powiat", row[2][:4]), ("region", row[2][:2])):
        lku.add_service(
            demo_conn,
            ADMIN,
            {
                "institution_id": row[0],
                "name": f"Świetlica {level}",
                "category": "poradnictwo",
                "target_groups": ["rodziny"],
                "problem_areas": problems,
                "level": level,
                "area_terc": area,
                "valid_from": date(2026, 1, 1),
            },
        )
    two = demo_conn.execute("SELECT terc FROM pilot_gmina ORDER BY terc LIMIT 2").fetchall()
    demo_conn.execute(
        "UPDATE gmina SET name = 'Bliźniacza' WHERE terc IN (?, ?)", [two[0][0], two[1][0]]
    )  # fixture data, not a user's write
    assert_reads_as_before(demo_conn)


@pytest.mark.parametrize("on", [TODAY])
def test_the_gap_list_of_the_page_and_the_slides_is_unchanged(demo_conn, on):
    new = lku.gap_list(lku.gaps(demo_conn, on))
    old = lku.gap_list(old_gaps(demo_conn, on))
    pd.testing.assert_frame_equal(new, old)


def _old_labels(codes: Any, vocabulary: dict[str, str]) -> str:
    if codes is None or isinstance(codes, float):
        return ""
    return ", ".join(vocabulary.get(str(c), str(c)) for c in codes)


def old_activity_list(services: pd.DataFrame) -> pd.DataFrame:
    """lku.activity_list as it was: a Python row per service (4 s for the national 26k)."""
    rows = [
        [
            n,
            s.name,
            s.provider,
            SERVICE_CATEGORIES.get(s.category, s.category),
            _old_labels(s.target_groups, TARGET_GROUPS),
            _old_labels(s.problem_areas, PROBLEM_AREAS),
            LEVELS.get(s.level, s.level),
            s.access,
            s.contact,
            s.valid_from,
            s.valid_to,
        ]
        for n, s in enumerate(services.itertuples(), start=1)
    ]
    return pd.DataFrame(rows, columns=lku.LIST_COLUMNS)


def test_the_activity_list_built_column_by_column_is_the_one_built_row_by_row(demo_conn):
    source = inspect.getsource(lku.activity_list)
    assert "row_tuples" not in source and "itertuples" not in source
    demo_conn.execute("UPDATE service SET problem_areas = ['nowy_obszar', 'przemoc'] WHERE service_id = 1")
    demo_conn.execute("UPDATE service SET target_groups = [] WHERE service_id = 2")  # fixture data
    found = lku.search(demo_conn, lku.ServiceFilter())
    assert len(found) > 20
    for services in (found, found.iloc[::3], found[found.level == "powiat"]):
        pd.testing.assert_frame_equal(lku.activity_list(services), old_activity_list(services))
    listing = lku.activity_list(found)
    assert listing["Obszary problemowe"][found.service_id == 1].iloc[0].startswith("nowy_obszar, ")
    assert listing["Dla kogo"][found.service_id == 2].iloc[0] == ""
    # no service at all: the same (empty) table, now with its columns typed
    empty = lku.activity_list(found.iloc[:0])
    assert list(empty.columns) == lku.LIST_COLUMNS and empty.empty


def test_the_heatmap_draws_every_gmina_up_to_its_limit_then_those_with_the_most_gaps(demo_conn, monkeypatch):
    gaps = lku.gaps(demo_conn, TODAY)
    drawn, cut = lku.gap_map(gaps)
    assert not cut and drawn is gaps  # the demo's gminy are all drawn, as before
    per_gmina = gaps[gaps.state == "gap"].groupby("terc").size()
    assert per_gmina.nunique() > 1
    monkeypatch.setattr(lku, "GAP_MAP_GMINY", 3)
    drawn, cut = lku.gap_map(gaps)
    assert cut and drawn.terc.nunique() == 3
    kept = list(dict.fromkeys(drawn.terc))
    assert per_gmina[kept].min() >= per_gmina.drop(kept).max()  # no gmina left out has more gaps
    # the grid's order and rows kept for the gminy drawn
    pd.testing.assert_frame_equal(drawn, gaps[gaps.terc.isin(drawn.terc)].reset_index(drop=True))


def test_the_registry_filter_lists_the_pilot_gminy_by_name_as_the_pilot_list_does(demo_conn):
    from kooperacja.programme import queries

    pilot = queries.list_pilot_gminy(demo_conn)
    choices = lku.pilot_choices(demo_conn)
    assert choices == dict(zip(pilot.terc, pilot.name, strict=True))
    assert list(choices.values()) == sorted(choices.values())


def test_the_uslugi_page_past_the_heatmap_limit_draws_the_gminy_with_most_gaps_and_says_so(
    demo_db, tmp_path, monkeypatch
):
    import json
    import shutil

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import DEMO_TODAY

    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    monkeypatch.setattr(lku, "GAP_MAP_GMINY", 4)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_string("from pages.uslugi import render\nrender()\n")
        at.session_state["authentication_status"] = True
        at.session_state["username"] = at.session_state["name"] = "admin"
        at.session_state["roles"] = ["admin"]
        at.run(timeout=60)
        assert not at.exception, [e.message for e in at.exception]
        captions = [c.value for c in at.caption]
        said = "Mapa pokazuje 4 gminy z największą liczbą luk (z "
        assert any(c.startswith(said) for c in captions), captions
        figure = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert len(figure["data"][0]["x"]) == 4
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
