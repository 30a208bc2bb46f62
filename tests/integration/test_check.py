"""The warehouse check: counts per table, schema version, orphans and broken rules of the model."""

from __future__ import annotations

import pytest

from kooperacja import warehouse
from kooperacja.cli import main
from kooperacja.warehouse.check import REFERENCES, check_warehouse


def test_empty_warehouse_has_a_line_per_table_and_no_problems(conn):
    lines, problems = check_warehouse(conn)
    assert lines == [f"{t}: 0" for t in warehouse.TABLES]
    assert problems == []


def test_demo_warehouse_is_consistent_and_flagged_as_demo(demo_copy):
    conn = warehouse.connect(demo_copy, read_only=True)
    lines, problems = check_warehouse(conn)
    conn.close()
    assert problems == []
    assert any("demonstracyjna" in line for line in lines)


def test_every_reference_names_existing_tables():
    tables = set(warehouse.TABLES)
    for child, _, parent, _, _ in REFERENCES:
        assert child in tables and parent in tables


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "INSERT INTO pzk_member (terc, institution_id, signed_on) "
            "VALUES ('0201011', 999, DATE '2025-01-01')",
            "pzk_member.institution_id → institution.institution_id",
        ),
        (
            "INSERT INTO case_file (case_code, terc, kind, referred_on) "
            "VALUES ('P-9999991-0001', '9999991', 'osoba', DATE '2025-01-01')",
            "case_file.terc → gmina.terc",
        ),
        (
            "INSERT INTO monthly_report (task_id, month, reported_on, progress) "
            "VALUES (12345, DATE '2025-01-01', DATE '2025-01-05', 'on_track')",
            "monthly_report.task_id → case_task",
        ),
        (
            "INSERT INTO template_step VALUES (77, 1, 'K1', '1.1', 'x', 'region', 'ROPS', 1, 2, NULL)",
            "template_step.template_id, version → template",
        ),
        (
            "INSERT INTO service (institution_id, name, category, target_groups, problem_areas, level, "
            "area_terc, valid_from) VALUES (1, 'x', 'poradnictwo', ['rodziny'], ['nieznany'], 'region', "
            "'02', DATE '2025-01-01')",
            "service.problem_areas[] → problem_area.code",
        ),
    ],
)
def test_orphan_row_is_reported(conn, sql, expected):
    conn.execute(sql)
    _, problems = check_warehouse(conn)
    assert any(expected in p for p in problems), problems


def test_broken_rules_are_reported(demo_copy):
    conn = warehouse.connect(demo_copy)
    conn.execute(
        "UPDATE step_event SET event_on = DATE '2015-01-01' "
        "WHERE event_id = (SELECT min(event_id) FROM step_event WHERE terc IS NOT NULL)"
    )
    conn.execute(
        "UPDATE monthly_report SET month = DATE '2015-01-01' "
        "WHERE report_id = (SELECT min(report_id) FROM monthly_report)"
    )
    _, problems = check_warehouse(conn)
    conn.close()
    assert any("ponad 31 dni przed startem planu" in p for p in problems), problems
    assert any("sprzed planu pracy sprawy" in p for p in problems), problems


def test_old_schema_version_is_reported(db_file):
    conn = warehouse.connect(db_file, upgrade=False)
    warehouse.migrate(conn, target=1)
    _, problems = check_warehouse(conn)
    conn.close()
    assert any(p.startswith("Wersja schematu 1") for p in problems)
    assert "Brak tabeli case_file" in problems


def test_check_command_exits_1_on_an_orphan(db_file, capsys):
    conn = warehouse.connect(db_file)
    conn.execute("INSERT INTO meeting_attendee (meeting_id, institution_id) VALUES (5, 6)")
    conn.close()
    assert main(["check", "--db", str(db_file)]) == 1
    out = capsys.readouterr().out
    assert "meeting_attendee: 1" in out
    assert "meeting_attendee.meeting_id → meeting.meeting_id" in out


def test_check_command_exits_0_on_a_clean_warehouse(db_file, capsys):
    warehouse.connect(db_file).close()
    assert main(["check", "--db", str(db_file)]) == 0
    assert "Bez problemów." in capsys.readouterr().out
