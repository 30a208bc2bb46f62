"""The demo warehouse: complete, deterministic, laid relative to today, and free of personal data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kooperacja import warehouse
from kooperacja.demo import DEMO_USERS, build_demo, build_national
from kooperacja.model import rules
from kooperacja.model.errors import InvalidInput
from kooperacja.model.privacy import find_personal_data

TODAY = date(2026, 11, 24)
TERC_CSV = Path(__file__).resolve().parents[2] / "kooperacja/data/teryt/TERC_Urzedowy_2025-01-01.csv"
# a fictional województwo has no PRG shapes; form tokens come from forms submitted in the app only;
# no demo gmina has left the pilot (pilot_exit); explanations and assignments are the users' own acts,
# and so is a ROPS's own Word template (document_template)
EMPTY_IN_FICTIONAL_REGION = {
    "document_template",
    "gmina_boundary",
    "form_token",
    "pilot_exit",
    "alert_explanation",
    "zgloszenie_assignment",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    counts = build_demo(path, today=TODAY, fictional=True)
    conn = warehouse.connect(path, read_only=True)
    yield conn, counts
    conn.close()


def rows(conn, sql, params=None):
    return conn.execute(sql, params or []).fetchall()


PLAN = """
SELECT p.terc, p.plan_start, s.substep, s.start_month, s.end_month
FROM pilot_gmina p
JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
WHERE s.level = 'gmina'
"""
EVENTS = """
SELECT terc, substep, min(event_on) FILTER (kind = 'started'), max(event_on) FILTER (kind = 'completed')
FROM step_event WHERE terc IS NOT NULL GROUP BY ALL
"""


def substep_states(conn, today):
    """(terc, substep) → state of every gmina-level sub-step, by the pure rules."""
    steps = rows(conn, PLAN)
    shifts = dict(rows(conn, "SELECT terc, days FROM plan_shift"))
    events = {(t, s): (st, done) for t, s, st, done in rows(conn, EVENTS)}
    out = {}
    for terc, plan_start, substep, first, last in steps:
        shift = shifts.get(terc, 0) if first >= 5 else 0
        start, due = rules.planned_window(plan_start, first, last, shift)
        started, done = events.get((terc, substep), (None, None))
        out[(terc, substep)] = rules.step_state(start, due, started, done, today)
    return out


def test_every_table_has_rows(demo):
    _, counts = demo
    empty = [t for t, n in counts.items() if n == 0 and t not in EMPTY_IN_FICTIONAL_REGION]
    assert empty == []
    assert set(counts) == set(warehouse.TABLES)


def test_pilot_has_twelve_gminy_of_all_three_variants_and_one_override(demo):
    conn, _ = demo
    variants = dict(rows(conn, "SELECT variant, count(*) FROM pilot_gmina GROUP BY ALL"))
    assert sum(variants.values()) == 12
    assert set(variants) == {"rural", "urban_rural", "urban"}
    assert rows(conn, "SELECT count(*) FROM gmina WHERE variant_override IS NOT NULL") == [(1,)]
    assert rows(conn, "SELECT min(population) FROM gmina WHERE kind = 'miejska'")[0][0] > 20_000
    assert dict(rows(conn, "SELECT animator, count(*) FROM pilot_gmina GROUP BY ALL")) == {
        "animator1": 6, "animator2": 6}  # fmt: skip


def test_harmonogram_has_late_overdue_stalled_and_due_this_week_substeps(demo):
    conn, _ = demo
    states = substep_states(conn, TODAY)
    assert rules.Status.DONE_LATE in {s.status for s in states.values()}
    overdue = {t for (t, _), s in states.items() if s.status == rules.Status.OVERDUE}
    last_event = dict(
        rows(conn, "SELECT terc, max(event_on) FROM step_event WHERE terc IS NOT NULL GROUP BY ALL")
    )
    stalled = [t for t in overdue if rules.is_stalled(True, last_event.get(t), TODAY, TODAY)]
    assert len(stalled) == 1
    assert len(overdue) >= 2
    assert any(s.status == rules.Status.DUE and rules.is_due_soon(s) for s in states.values())
    assert rows(conn, "SELECT count(*) FROM plan_shift WHERE reason LIKE 'Zmiana kierownika GOPS%'") == [(1,)]


def test_region_steps_are_recorded_once_without_a_gmina(demo):
    conn, _ = demo
    region = rows(conn, "SELECT substep, kind FROM step_event WHERE terc IS NULL ORDER BY ALL")
    assert region == [("1.1", "completed"), ("1.1", "started"), ("1.2", "completed"), ("1.2", "started")]


def test_notifications_include_a_fresh_and_an_overdue_candidate(demo):
    conn, _ = demo
    waiting = rows(conn, "SELECT ?::DATE - received_on FROM zgloszenie z WHERE first_contact_on IS NULL "
                         "AND terc NOT IN (SELECT terc FROM pilot_gmina) ORDER BY 1", [TODAY])  # fmt: skip
    assert [d for (d,) in waiting] == [3, 10]
    routes = dict(rows(conn, "SELECT route, count(*) FROM zgloszenie GROUP BY ALL"))
    assert routes["self_formed"] == 2


def test_institutions_cover_every_sector_at_every_level(demo):
    conn, _ = demo
    from kooperacja.model.vocab import SECTORS

    assert {s for (s,) in rows(conn, "SELECT DISTINCT sector FROM institution")} == set(SECTORS)
    lengths = dict(rows(conn, "SELECT level, max(length(seat_terc)) FROM institution GROUP BY ALL"))
    assert lengths == {"gmina": 7, "powiat": 4, "region": 2}


def test_cases_reach_every_stage_and_every_closure_reason(demo):
    conn, _ = demo
    reasons = {
        r for (r,) in rows(conn, "SELECT DISTINCT closure_reason FROM case_file WHERE closed_on IS NOT NULL")
    }
    assert reasons == {"goals_achieved", "no_cooperation", "resigned", "other"}
    stages = rows(
        conn,
        """
        SELECT count(*) FILTER (consent_on IS NULL),
               count(*) FILTER (plan_on IS NULL AND diagnosed_on IS NOT NULL),
               count(*) FILTER (contract_from IS NOT NULL AND closed_on IS NULL),
               count(*) FILTER (evaluated_on IS NOT NULL AND closed_on IS NULL),
               count(*) FILTER (followup_until IS NOT NULL)
        FROM case_file""",
    )[0]
    assert all(n > 0 for n in stages)
    per_gmina = [n for (n,) in rows(conn, "SELECT count(*) FROM case_file GROUP BY terc")]
    assert min(per_gmina) >= 8 and max(per_gmina) <= 20


def test_recent_monthly_reports_are_partly_missing(demo):
    conn, _ = demo
    previous = rules.add_months(TODAY.replace(day=1), -1)
    done, expected = rows(conn, """
        SELECT count(r.report_id), count(*) FROM case_task t JOIN case_file c USING (case_code)
        LEFT JOIN monthly_report r ON r.task_id = t.task_id AND r.month = ?
        WHERE c.plan_on < ? AND c.closed_on IS NULL AND (t.done_on IS NULL OR t.done_on >= ?)""",
        [previous, previous, previous])[0]  # fmt: skip
    assert 0 < done < expected


def test_free_texts_of_cases_pass_the_privacy_screen(demo):
    conn, _ = demo
    texts = rows(
        conn,
        """
        SELECT main_goal FROM case_file UNION SELECT evaluation_note FROM case_file
        UNION SELECT followup_note FROM case_file UNION SELECT text FROM case_goal
        UNION SELECT description FROM case_task UNION SELECT note FROM monthly_report
        UNION SELECT agenda FROM meeting UNION SELECT decisions FROM meeting""",
    )
    assert [t for (t,) in texts if t and find_personal_data(t)] == []


def test_demo_is_marked_and_users_can_log_in(demo):
    conn, _ = demo
    settings = dict(rows(conn, "SELECT key, value FROM settings"))
    assert settings["demo"] == "true"
    assert settings["demo_built_on"] == TODAY.isoformat()
    assert settings["wojewodztwo"] == "34" and len(settings["cookie_key"]) == 64
    assert {u for (u,) in rows(conn, "SELECT username FROM app_user")} == {u for u, _, _ in DEMO_USERS}


def contents(conn):
    return {
        "cases": rows(conn, "SELECT * EXCLUDE (row_version) FROM case_file ORDER BY case_code"),
        "events": rows(conn, "SELECT * EXCLUDE (recorded_at) FROM step_event ORDER BY event_id"),
        "reports": rows(conn, "SELECT * FROM monthly_report ORDER BY report_id"),
    }


def test_same_today_builds_the_same_demo(demo, tmp_path):
    conn, counts = demo
    again = build_demo(tmp_path / "again.duckdb", today=TODAY, fictional=True)
    assert again == counts
    other = warehouse.connect(tmp_path / "again.duckdb", read_only=True)
    assert contents(other) == contents(conn)
    other.close()


def test_the_default_demo_is_the_same_on_every_build(real_demo_db, tmp_path):
    """Over a real województwo too: a query feeding the draws in no fixed order (DuckDB's threads)
    gave another demo one build in a few (animator1's to-do count read 34, 35 or 37)."""
    build_demo(tmp_path / "again.duckdb", today=TODAY)
    first = warehouse.connect(real_demo_db, read_only=True)
    other = warehouse.connect(tmp_path / "again.duckdb", read_only=True)
    institutions = "SELECT * FROM institution ORDER BY institution_id"
    assert rows(other, institutions) == rows(first, institutions)
    assert contents(other) == contents(first)
    first.close()
    other.close()


def test_dates_follow_today(demo, tmp_path):
    conn, _ = demo
    later = TODAY + timedelta(days=100)
    build_demo(tmp_path / "later.duckdb", today=later, fictional=True)
    other = warehouse.connect(tmp_path / "later.duckdb", read_only=True)
    for c, today in ((conn, TODAY), (other, later)):
        newest = rows(c, "SELECT greatest(max(event_on), (SELECT max(held_on) FROM meeting), "
                         "(SELECT max(reported_on) FROM monthly_report)) FROM step_event")[0][0]  # fmt: skip
        assert today - timedelta(days=31) < newest <= today
    starts = [rows(c, "SELECT plan_start FROM pilot_gmina ORDER BY terc") for c in (conn, other)]
    shifts = {(b[0] - a[0]).days for a, b in zip(*starts, strict=True)}
    assert all(85 <= s <= 115 for s in shifts)
    assert substep_states(other, later).values()
    other.close()


def test_demo_over_a_real_wojewodztwo(tmp_path):
    counts = build_demo(tmp_path / "real.duckdb", terc_bytes=TERC_CSV.read_bytes(), woj="10", today=TODAY)
    assert counts["gmina"] > 150 and counts["pilot_gmina"] == 12
    conn = warehouse.connect(tmp_path / "real.duckdb", read_only=True)
    assert rows(conn, "SELECT count(*) FROM pilot_gmina WHERE NOT starts_with(terc, '10')") == [(0,)]
    assert dict(rows(conn, "SELECT key, value FROM settings"))["region_name"] == "Województwo łódzkie"
    conn.close()


def test_national_scale_at_reduced_size(tmp_path):
    conn = warehouse.connect(tmp_path / "national.duckdb")
    build_national(conn, TODAY, lambda _msg: None, gminy_limit=120)
    counts = warehouse.table_counts(conn)
    assert (counts["wojewodztwo"], counts["powiat"], counts["gmina"]) == (16, 380, 2479)
    kinds = dict(rows(conn, "SELECT kind, count(*) FROM gmina GROUP BY ALL"))
    assert kinds == {"miejska": 302, "wiejska": 1459, "miejsko-wiejska": 718}
    assert counts["pilot_gmina"] == 120
    # A twentieth of the country: the full build has ≥50k cases and ≥1M monthly reports.
    assert counts["case_file"] > 50_000 * 120 / 2479 * 0.8
    assert counts["monthly_report"] > 1_000_000 * 120 / 2479 * 0.8
    assert rows(conn, "SELECT count(*) FROM case_file WHERE terc NOT IN (SELECT terc FROM pilot_gmina)") == [
        (0,)
    ]
    orphans = rows(
        conn, "SELECT count(*) FROM monthly_report WHERE task_id NOT IN (SELECT task_id FROM case_task)"
    )
    assert orphans == [(0,)]
    # Sequences moved past the bulk-inserted keys, so the app's next insert does not collide.
    assert rows(conn, "SELECT nextval('case_task_seq') > max(task_id) FROM case_task") == [(True,)]
    conn.close()


def test_the_default_demo_lays_the_programme_over_kujawsko_pomorskie_with_its_map(real_demo_db):
    from kooperacja.warehouse.check import check_warehouse

    conn = warehouse.connect(real_demo_db, read_only=True)
    try:
        counts = warehouse.table_counts(conn)
        assert (counts["gmina"], counts["powiat"], counts["gmina_boundary"]) == (144, 23, 144)
        assert counts["pilot_gmina"] == 12
        assert rows(conn, "SELECT count(*) FROM pilot_gmina WHERE NOT starts_with(terc, '04')") == [(0,)]
        settings = dict(rows(conn, "SELECT key, value FROM settings"))
        assert settings["demo"] == "true" and settings["wojewodztwo"] == "04"
        assert settings["region_name"] == "Województwo kujawsko-pomorskie"
        # every table has rows, boundaries included (form tokens come from the app's forms only, a
        # ROPS's own Word template from its admin)
        empty = {t for t, n in counts.items() if n == 0}
        assert empty == {"form_token", "document_template"}  # users' acts fill the rest
        lines, problems = check_warehouse(conn)
        assert problems == [] and "gmina_boundary: 144" in lines
    finally:
        conn.close()


def test_demo_woj_picks_another_real_wojewodztwo_and_a_wrong_code_is_refused(tmp_path):
    counts = build_demo(tmp_path / "malopolska.duckdb", woj="12", today=TODAY)
    assert (counts["gmina"], counts["gmina_boundary"], counts["pilot_gmina"]) == (183, 182, 12)
    with pytest.raises(InvalidInput, match="nie ma województwa '33'"):
        build_demo(tmp_path / "bad.duckdb", woj="33", today=TODAY)
    assert not (tmp_path / "bad.duckdb").exists()
