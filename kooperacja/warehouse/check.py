"""Warehouse health check: table counts, schema version, referential integrity and rule consistency."""

from __future__ import annotations

import duckdb

from kooperacja import warehouse
from kooperacja.model.rules import STEP_EVENT_LEAD_DAYS

# (child table, child columns, parent table, parent columns, condition on the child row).
# The schema has no FOREIGN KEYs (a gmina's TERC changes with its type), so they are checked here.
# Columns are SQL expressions written in this file, never user input.
REFERENCES: tuple[tuple[str, str, str, str, str], ...] = (
    ("powiat", "left(terc, 2)", "wojewodztwo", "terc", ""),
    ("gmina", "left(terc, 4)", "powiat", "terc", ""),
    ("template_step", "template_id, version", "template", "template_id, version", ""),
    ("pilot_powiat", "terc", "powiat", "terc", ""),
    ("pilot_gmina", "terc", "gmina", "terc", ""),
    ("pilot_gmina", "template_id, template_version", "template", "template_id, version", ""),
    ("pilot_gmina", "animator", "app_user", "username", ""),
    ("plan_shift", "terc", "pilot_gmina", "terc", ""),
    ("step_event", "terc", "gmina", "terc", ""),
    ("zgloszenie", "terc", "gmina", "terc", ""),
    ("institution", "seat_terc", "gmina", "terc", "length(seat_terc) = 7"),
    ("institution", "seat_terc", "powiat", "terc", "length(seat_terc) = 4"),
    ("institution", "seat_terc", "wojewodztwo", "terc", "length(seat_terc) = 2"),
    ("pzk_member", "terc", "gmina", "terc", ""),
    ("pzk_member", "institution_id", "institution", "institution_id", ""),
    ("meeting", "terc", "gmina", "terc", ""),
    ("meeting", "case_code", "case_file", "case_code", ""),
    ("meeting_attendee", "meeting_id", "meeting", "meeting_id", ""),
    ("meeting_attendee", "institution_id", "institution", "institution_id", ""),
    ("case_file", "terc", "gmina", "terc", ""),
    ("case_problem", "case_code", "case_file", "case_code", ""),
    ("case_problem", "problem_code", "problem_area", "code", ""),
    ("case_goal", "case_code", "case_file", "case_code", ""),
    ("case_task", "case_code", "case_file", "case_code", ""),
    ("case_task", "goal_id", "case_goal", "goal_id", ""),
    ("case_task", "institution_id", "institution", "institution_id", ""),
    ("monthly_report", "task_id", "case_task", "task_id", ""),
    ("service", "institution_id", "institution", "institution_id", ""),
    ("service", "area_terc", "gmina", "terc", "level = 'gmina'"),
    ("service", "area_terc", "powiat", "terc", "level = 'powiat'"),
    ("service", "area_terc", "wojewodztwo", "terc", "level = 'region'"),
    ("service", "unnest(problem_areas)", "problem_area", "code", ""),
    ("case_service", "case_code", "case_file", "case_code", ""),
    ("case_service", "service_id", "service", "service_id", ""),
    ("wzk_member", "institution_id", "institution", "institution_id", ""),
    ("wzk_attendance", "meeting_id", "meeting", "meeting_id", ""),
    ("wzk_attendance", "member_id", "wzk_member", "member_id", ""),
    ("recommendation", "meeting_id", "meeting", "meeting_id", ""),
    ("problem_map", "terc", "gmina", "terc", ""),
    ("problem_map", "problem_code", "problem_area", "code", ""),
    ("resource_card", "terc", "gmina", "terc", ""),
    ("resource_card", "institution_id", "institution", "institution_id", ""),
    ("survey_wave", "terc", "gmina", "terc", ""),
    ("survey_answer", "wave_id", "survey_wave", "wave_id", ""),
    ("survey_answer", "respondent_id", "institution", "institution_id", ""),
    ("survey_answer", "partner_id", "institution", "institution_id", ""),
    ("wave_measure", "wave_id", "survey_wave", "wave_id", ""),
)

# (what is wrong, query counting the rows where it is so).
RULES: tuple[tuple[str, str], ...] = (
    (f"zdarzenia kroków datowane ponad {STEP_EVENT_LEAD_DAYS} dni przed startem planu gminy",
     "SELECT count(*) FROM step_event e JOIN pilot_gmina p USING (terc) "
     f"WHERE e.event_on < p.plan_start - INTERVAL {STEP_EVENT_LEAD_DAYS} DAY "
     # an event of an earlier stay in the pilot (the gmina left and rejoined) is not of this plan
     "AND NOT EXISTS (SELECT 1 FROM pilot_exit x WHERE x.terc = e.terc AND e.event_on <= x.left_on)"),
    ("zakończenie podkroku wcześniejsze niż jego rozpoczęcie",
     "SELECT count(*) FROM step_event c JOIN step_event s ON s.terc IS NOT DISTINCT FROM c.terc "
     "AND s.substep = c.substep AND s.kind = 'started' "
     "WHERE c.kind = 'completed' AND c.event_on < s.event_on"),
    ("członkostwo w PZK zakończone przed podpisaniem",
     "SELECT count(*) FROM pzk_member WHERE left_on < signed_on"),
    ("sprawy zamknięte bez podania powodu",
     "SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL AND closure_reason IS NULL"),
    ("sprawy zamknięte przed datą skierowania",
     "SELECT count(*) FROM case_file WHERE closed_on < referred_on"),
    ("sprawozdania miesięczne za miesiąc sprzed planu pracy sprawy (lub sprawa bez planu)",
     "SELECT count(*) FROM monthly_report r JOIN case_task t USING (task_id) "
     "JOIN case_file c ON c.case_code = t.case_code "
     "WHERE c.plan_on IS NULL OR r.month < date_trunc('month', c.plan_on)"),
    ("zadania przypisane do celu innej sprawy",
     "SELECT count(*) FROM case_task t JOIN case_goal g USING (goal_id) WHERE g.case_code <> t.case_code"),
    ("członkostwa w PZK instytucji spoza gminy i jej powiatu",
     "SELECT count(*) FROM pzk_member m JOIN institution i USING (institution_id) "
     "WHERE i.level <> 'region' AND NOT starts_with(m.terc, i.seat_terc) "
     "AND NOT starts_with(i.seat_terc, left(m.terc, 4))"),
    ("odpowiedzi badania współpracy zapisane dwa razy dla tej samej pary instytucji",
     "SELECT count(*) FROM (SELECT wave_id, respondent_id, partner_id FROM survey_answer "
     "GROUP BY ALL HAVING count(*) > 1)"),
)  # fmt: skip

ORPHANS_SQL = (
    "SELECT count(*), min(v) FROM (SELECT {child_cols} AS v FROM {child} c WHERE {where}) o "
    "WHERE v IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE ({parent_cols}) = o.v)"
)


def _tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {r[0] for r in rows.fetchall()}


def _orphans(conn: duckdb.DuckDBPyConnection, ref: tuple[str, str, str, str, str]) -> str | None:
    child, child_cols, parent, parent_cols, condition = ref
    single = "," not in parent_cols
    value = child_cols if single else f"({child_cols})"
    sql = ORPHANS_SQL.format(
        child=child, child_cols=value, parent=parent, where=condition or "true",
        parent_cols=parent_cols if single else f"({parent_cols})",
    )  # fmt: skip
    count, example = conn.execute(sql).fetchall()[0]
    if not count:
        return None
    shown = child_cols.replace("unnest(", "").replace(")", "[]") if "unnest" in child_cols else child_cols
    return (f"Powiązania: {child}.{shown} → {parent}.{parent_cols}: liczba wierszy bez rekordu "
            f"nadrzędnego {count} (np. {example})")  # fmt: skip


def check_warehouse(conn: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """(one "table: rows" line per table, problems found); no problems means a healthy warehouse."""
    present = _tables(conn)
    lines, problems = [], []
    for table in warehouse.TABLES:
        if table in present:
            count = conn.execute(f"SELECT count(*) FROM {warehouse.ident(table)}").fetchall()[0][0]
            lines.append(f"{table}: {count}")
        else:
            lines.append(f"{table}: —")
            problems.append(f"Brak tabeli {table}")
    version = warehouse.schema_version(conn)
    if version != warehouse.LATEST_VERSION:
        problems.append(f"Wersja schematu {version}, oczekiwana {warehouse.LATEST_VERSION}: "
                        "otwórz hurtownię aplikacją albo poleceniem init, aby ją zaktualizować")  # fmt: skip
    if problems:
        return lines, problems
    problems += [p for ref in REFERENCES if (p := _orphans(conn, ref))]
    for what, sql in RULES:
        count = conn.execute(sql).fetchall()[0][0]
        if count:
            problems.append(f"Reguły modelu: {what}: {count}")
    if warehouse.get_setting(conn, "demo") == "true":
        lines.append("Uwaga: to hurtownia demonstracyjna (dane fikcyjne, ustawienie demo = true)")
    return lines, problems
