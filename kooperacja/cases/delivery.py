"""Delivery and end of a case: contract, IKU, monthly reports, monitoring, evaluation, closure, follow-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import duckdb

from kooperacja.cases.checks import check_monthly_report, load_cases_context
from kooperacja.cases.core import load_case, refuse_case_change, refuse_future
from kooperacja.cases.counts import refresh_case_counts, refresh_task_reporting
from kooperacja.cases.team import check_attendees, insert_meeting, team_name
from kooperacja.model import rules
from kooperacja.model.access import Actor, require_edit_gmina
from kooperacja.model.checks import refuse, texts
from kooperacja.model.errors import InvalidInput, NotFound
from kooperacja.model.records import CaseFile, CaseService, CaseTask, MonthlyReport, correction_reason
from kooperacja.warehouse import audit, fetch_dicts, transaction
from kooperacja.warehouse.store import delete, get_row, idempotent, insert, update

# Services of the lokalny koszyk usług open to a gmina on a day: its own, its powiat's, the region's.
AVAILABLE_SERVICES = """
SELECT s.service_id, s.name, s.category, s.level, s.area_terc, s.problem_areas, i.name AS institution,
       i.sector
FROM service s JOIN institution i USING (institution_id)
WHERE s.area_terc IN ($terc, left($terc, 4), left($terc, 2))
  AND s.valid_from <= $on AND (s.valid_to IS NULL OR s.valid_to >= $on)
ORDER BY s.level, s.name
"""


def available_services(conn: duckdb.DuckDBPyConnection, terc: str, on: date):
    """The LKU a case in `terc` may draw from on a day (a DataFrame)."""
    return conn.cursor().execute(AVAILABLE_SERVICES, {"terc": terc, "on": on}).df()


def _need_plan(case: dict, what: str) -> date:
    if case["plan_on"] is None:
        raise InvalidInput([f"{what}: najpierw zapisz plan pracy (kartę planu)"])
    return case["plan_on"]


def _update_case(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case: dict,
    changes: dict,
    today: date,
    expected_version: int | None = None,
) -> None:
    """One audited change of the case's own row, checked by check_case_file, in a transaction of its own."""
    with transaction(conn) as cur:
        refuse_case_change(cur, case, changes, today)
        update(cur, actor.username, CaseFile, case["case_code"], changes, expected_version)


def set_contract(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    kind: str,
    from_on: date,
    to_on: date | None,
    today: date,
    expected_version: int | None = None,
) -> None:
    """The social contract (person, family) or social project (family, group) with its dates."""
    case = load_case(conn, actor, case_code)
    _update_case(
        conn,
        actor,
        case,
        {"contract_kind": kind, "contract_from": from_on, "contract_to": to_on},
        today,
        expected_version,
    )


@idempotent
def assign_services(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    service_ids: Sequence[int],
    from_on: date,
    today: date,
    to_on: date | None = None,
    form_token: str | None = None,
) -> int:
    """The individual basket: services picked from the LKU open to the case's gmina on `from_on`."""
    case = load_case(conn, actor, case_code)
    plan_on = _need_plan(case, "Usługa")
    if not service_ids:
        raise InvalidInput(["Usługa: wybierz co najmniej jedną usługę z koszyka"])
    if from_on < plan_on:
        raise InvalidInput([f"Od: wcześniej niż plan pracy ({plan_on:%d.%m.%Y})"])
    open_ = set(available_services(conn, case["terc"], from_on).service_id.astype(int))
    taken = {
        r[0]
        for r in conn.cursor()
        .execute("SELECT service_id FROM case_service WHERE case_code = ?", [case_code])
        .fetchall()
    }
    names = dict(
        conn.cursor()
        .execute(
            "SELECT service_id, name FROM service WHERE list_contains(?, service_id)", [list(service_ids)]
        )
        .fetchall()
    )
    problems = [
        f"Usługa „{names.get(s, s)}”: nie ma jej w koszyku gminy, powiatu ani regionu "
        f"w dniu {from_on:%d.%m.%Y}"
        for s in service_ids
        if s not in open_
    ]
    problems += [
        f"Usługa „{names.get(s, s)}”: jest już w indywidualnym koszyku sprawy"
        for s in service_ids
        if s in taken
    ]
    if problems:
        raise InvalidInput(problems)
    records = [
        CaseService.parse({"case_code": case_code, "service_id": s, "from_on": from_on, "to_on": to_on})
        for s in dict.fromkeys(service_ids)
    ]
    with transaction(conn) as cur:
        for record in records:
            insert(cur, actor.username, record, terc=case["terc"])
        refresh_case_counts(cur, [case_code])
    return len(records)


@idempotent
def record_monthly_report(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    task_id: int,
    *,
    month: date,
    progress: str,
    institution_id: int | None,
    today: date,
    note: str | None = None,
    form_token: str | None = None,
) -> int:
    """An institution's monthly progress on its own task (attachment 7); the family's by the coordinator.

    `month` is the first day of the month reported on; a future month is refused.
    """
    rows = fetch_dicts(conn.cursor(), "SELECT * FROM case_task WHERE task_id = ?", [task_id])
    if not rows:
        raise NotFound(f"Nie ma zadania {task_id}.")
    task = rows[0]
    case = load_case(conn, actor, task["case_code"], open_only=False)
    record = MonthlyReport.parse(
        {"task_id": task_id, "month": month, "reported_on": today, "progress": progress, "note": note}
    )
    assert isinstance(record, MonthlyReport)
    ctx = load_cases_context(conn.cursor(), today, case_code=case["case_code"])
    problems = texts(MonthlyReport, check_monthly_report(record, ctx))
    if task["institution_id"] != institution_id:
        owner = _institution_name(conn, task["institution_id"])
        problems.append(f"Zadanie: przypisano je {owner} — sprawozdanie składa tylko ta instytucja")
    if (
        conn.cursor()
        .execute("SELECT 1 FROM monthly_report WHERE task_id = ? AND month = ?", [task_id, month])
        .fetchall()
    ):
        problems.append(
            f"Miesiąc: sprawozdanie z zadania za {month:%m.%Y} już zapisano — popraw zapisane sprawozdanie"
        )
    if problems:
        raise InvalidInput(problems)
    with transaction(conn) as cur:
        report_id = insert(cur, actor.username, record, terc=case["terc"])
        if progress == "done" and task["done_on"] is None:
            done_on = min(today, rules.add_months(month, 1) - timedelta(days=1))
            update(cur, actor.username, CaseTask, task_id, {"done_on": done_on})
        refresh_case_counts(cur, [case["case_code"]])  # after the done day: task_reporting keeps it
        return report_id


SAVED_REPORT = """
SELECT r.*, t.case_code FROM monthly_report r JOIN case_task t USING (task_id)
WHERE r.task_id = ? AND r.month = ?
"""


def saved_report(conn: duckdb.DuckDBPyConnection, task_id: int, month: date) -> dict | None:
    """The report of a task for a month when one is saved (the form offers its correction), else None."""
    rows = fetch_dicts(conn.cursor(), SAVED_REPORT, [task_id, month])
    return rows[0] if rows else None


def _report_and_case(cur: duckdb.DuckDBPyConnection, actor: Actor, report_id: int) -> tuple[dict, dict, dict]:
    report = get_row(cur, MonthlyReport, report_id)
    task = get_row(cur, CaseTask, report["task_id"])
    cases = fetch_dicts(cur, "SELECT * FROM case_file WHERE case_code = ?", [task["case_code"]])
    require_edit_gmina(actor, cases[0]["terc"])
    return report, task, cases[0]


def correct_monthly_report(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    report_id: int,
    *,
    progress: str,
    reported_on: date,
    today: date,
    reason: str | None,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Correct a saved monthly report (progress, note, the day it came): the same checks as a new one,
    a required reason, audited. A report corrected to "done" marks its task done as a new one does."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        report, task, case = _report_and_case(cur, actor, report_id)
        changes = {"progress": progress, "reported_on": reported_on, "note": note}
        record = MonthlyReport.parse({**{k: report[k] for k in MonthlyReport.model_fields}, **changes})
        assert isinstance(record, MonthlyReport)
        ctx = load_cases_context(cur, today, case_code=case["case_code"])
        refuse(MonthlyReport, check_monthly_report(record, ctx))
        update(cur, actor.username, MonthlyReport, report_id, changes, expected_version, reason=reason)
        if progress == "done" and task["done_on"] is None:
            done_on = min(today, rules.add_months(record.month, 1) - timedelta(days=1))
            update(cur, actor.username, CaseTask, task["task_id"], {"done_on": done_on}, reason=reason)
            refresh_task_reporting(cur, [case["case_code"]])


def withdraw_monthly_report(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    report_id: int,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Take back a report saved by mistake (e.g. for the wrong task): audited with the reason."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        _report, _task, case = _report_and_case(cur, actor, report_id)
        delete(
            cur, actor.username, MonthlyReport, report_id, reason=reason, expected_version=expected_version
        )
        refresh_case_counts(cur, [case["case_code"]])


def _institution_name(conn: duckdb.DuckDBPyConnection, institution_id: int | None) -> str:
    if institution_id is None:
        return "rodzinie (osobie) — zapisuje koordynator bez wskazania instytucji"
    rows = (
        conn.cursor()
        .execute("SELECT name FROM institution WHERE institution_id = ?", [institution_id])
        .fetchall()
    )
    return rows[0][0] if rows else f"instytucji {institution_id}"


@idempotent
def record_monitoring_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    held_on: date,
    family_present: bool,
    family_told: bool,
    attendees: Mapping[int, date | None],
    today: date,
    decisions: str | None = None,
    form_token: str | None = None,
) -> int:
    """The quarterly monitoring meeting: the family present, or told of the outcome afterwards."""
    case = load_case(conn, actor, case_code)
    plan_on = _need_plan(case, "Spotkanie monitorujące")
    refuse_future("Data spotkania", held_on, today)
    if held_on < plan_on:
        raise InvalidInput([f"Data spotkania: wcześniej niż plan pracy ({plan_on:%d.%m.%Y})"])
    if not family_present and not family_told:
        raise InvalidInput(
            [
                "Obecność rodziny: gdy rodzina nie uczestniczy, koordynator niezwłocznie "
                "informuje ją o ustaleniach — potwierdź to"
            ]
        )
    check_attendees(conn, case, held_on, attendees, team_name(conn.cursor(), case["terc"]), need_notice=False)
    told = "" if family_present else "Rodzinę poinformowano o ustaleniach."
    text = " ".join(t for t in (decisions, told) if t) or None
    with transaction(conn) as cur:
        return insert_meeting(
            cur,
            actor,
            case,
            {
                "kind": "monitoring",
                "held_on": held_on,
                "agenda": "Monitoring realizacji planu pracy",
                "decisions": text,
                "family_present": family_present,
            },
            attendees,
        )


def evaluate(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    evaluated_on: date,
    result: str,
    today: date,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Evaluation of the main goal: achieved fully, partly or not (part C of attachment 6)."""
    case = load_case(conn, actor, case_code)
    changes = {"evaluated_on": evaluated_on, "evaluation": result, "evaluation_note": note}
    _update_case(conn, actor, case, changes, today, expected_version)


def close_case(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    closed_on: date,
    reason: str | None,
    today: date,
    expected_version: int | None = None,
) -> None:
    """End the work with a reason (001, 4.5); the services of its basket end on the same day.

    Open tasks stay undone: the record shows what was left, and no report is expected after closure.
    """
    case = load_case(conn, actor, case_code)
    if not reason:
        raise InvalidInput(
            ["Powód zakończenia: podaj powód (osiągnięcie celów, brak współpracy, rezygnacja, inny)"]
        )
    changes = {"closed_on": closed_on, "closure_reason": reason}
    with transaction(conn) as cur:
        refuse_case_change(cur, case, changes, today)
        update(cur, actor.username, CaseFile, case_code, changes, expected_version)
        refresh_task_reporting(cur, [case_code])  # no report is expected after the closure
        _end_services(cur, actor, case, closed_on)


RUNNING_SERVICES = "SELECT * FROM case_service WHERE case_code = ? AND (to_on IS NULL OR to_on > ?)"


def _end_services(cur: duckdb.DuckDBPyConnection, actor: Actor, case: dict, on: date) -> None:
    running = fetch_dicts(cur, RUNNING_SERVICES, [case["case_code"], on])
    for before in running:
        after = {**before, "to_on": max(before["from_on"], on)}
        cur.execute(
            "UPDATE case_service SET to_on = ? WHERE case_code = ? AND service_id = ?",
            [after["to_on"], before["case_code"], before["service_id"]],
        )
        audit(
            cur,
            actor.username,
            "update",
            "case_service",
            f"{before['case_code']}/{before['service_id']}",
            before,
            after,
            case["terc"],
        )


def record_followup(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    until: date,
    note: str | None,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Monitoring of the situation after support ended (000): until when, and what was seen."""
    case = load_case(conn, actor, case_code, open_only=False)
    if case["closed_on"] is None:
        raise InvalidInput(["Monitoring po zakończeniu: sprawa jest jeszcze prowadzona"])
    changes = {"followup_until": until, "followup_note": note}
    _update_case(conn, actor, case, changes, today, expected_version)
