"""Cases of the task teams (GGK/ZZK): the stage, registration, diagnosis and helpers of every case write.

Every case service (here, in case_team and case_delivery) takes the acting user, validates through the
pydantic records (free text is screened for personal data there), checks the model's rules and the role,
and writes in one audited transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import duckdb

from kooperacja.cases.checks import LABELS, PROBLEMS, check_case_file, load_cases_context
from kooperacja.model.access import Actor, require_admin, require_edit_gmina
from kooperacja.model.checks import refuse, texts
from kooperacja.model.errors import InvalidInput, NotFound, StaleRecord
from kooperacja.model.records import (
    CaseFile,
    CaseProblem,
    ProblemArea,
    Record,
    label,
)
from kooperacja.warehouse import fetch_dicts, transaction
from kooperacja.warehouse.store import idempotent, insert, stale, update

STAGES = ["referred", "diagnosed", "plan", "contract", "delivery", "evaluated", "closed"]
STAGE_LABELS = {
    "referred": "zgłoszona",
    "diagnosed": "zdiagnozowana",
    "plan": "plan pracy",
    "contract": "kontrakt/projekt socjalny",
    "delivery": "w realizacji",
    "evaluated": "po ewaluacji",
    "closed": "zakończona",
}


def case_stage(row: Mapping[str, Any]) -> str:
    """The furthest stage a case has reached; `services` and `reports` are counts of its IKU and reports.

    >>> case_stage({"referred_on": date(2026, 1, 5)})
    'referred'
    >>> case_stage({"diagnosed_on": date(2026, 1, 9), "plan_on": date(2026, 1, 20), "services": 2})
    'delivery'
    >>> case_stage({"plan_on": date(2026, 1, 20), "closed_on": date(2026, 5, 1)})
    'closed'
    """

    def has(key: str) -> bool:
        value = row.get(key)
        return value is not None and value == value  # NaN/NaT from a DataFrame are missing too

    if has("closed_on"):
        return "closed"
    if has("evaluated_on"):
        return "evaluated"
    if has("plan_on") and ((row.get("services") or 0) > 0 or (row.get("reports") or 0) > 0):
        return "delivery"
    for stage, key in (("contract", "contract_kind"), ("plan", "plan_on"), ("diagnosed", "diagnosed_on")):
        if has(key):
            return stage
    return "referred"


# The SQL twin of case_stage (tests/unit/test_case_stage.py proves them equal on a table of cases).
CASE_STAGE_SQL = """CASE
    WHEN {closed_on} IS NOT NULL THEN 'closed'
    WHEN {evaluated_on} IS NOT NULL THEN 'evaluated'
    WHEN {plan_on} IS NOT NULL AND (coalesce({services}, 0) > 0 OR coalesce({reports}, 0) > 0) THEN 'delivery'
    WHEN {contract_kind} IS NOT NULL THEN 'contract'
    WHEN {plan_on} IS NOT NULL THEN 'plan'
    WHEN {diagnosed_on} IS NOT NULL THEN 'diagnosed'
    ELSE 'referred' END"""
STAGE_COLUMNS = (
    "closed_on",
    "evaluated_on",
    "plan_on",
    "services",
    "reports",
    "contract_kind",
    "diagnosed_on",
)


def load_case(
    conn: duckdb.DuckDBPyConnection, actor: Actor, case_code: str, *, open_only: bool = True
) -> dict[str, Any]:
    rows = fetch_dicts(conn.cursor(), "SELECT * FROM case_file WHERE case_code = ?", [case_code])
    if not rows:
        raise NotFound(f"Nie ma sprawy {case_code}.")
    case = rows[0]
    require_edit_gmina(actor, case["terc"])
    if open_only and case["closed_on"] is not None:
        raise InvalidInput([f"Sprawa {case_code} jest zakończona ({case['closed_on']:%d.%m.%Y})"])
    return case


def changed_by(conn: duckdb.DuckDBPyConnection, case_code: str) -> StaleRecord:
    """Who saved the case last and when, as the refusal a save from an older screen gets."""
    return stale(conn.cursor(), CaseFile.TABLE, case_code)


def case_change_problems(
    cur: duckdb.DuckDBPyConnection,
    case: Mapping[str, Any],
    changes: Mapping[str, Any],
    today: date,
    problem_codes: Sequence[str] | None = None,
) -> list[str]:
    """What check_case_file finds about the changed fields (and the problem areas, when given) once
    the change is made, as the form shows it."""
    after = CaseFile.parse({**{k: case[k] for k in CaseFile.model_fields}, **changes})
    assert isinstance(after, CaseFile)
    ctx = load_cases_context(cur, today, case_code=case["case_code"])
    fields = {*changes, *(() if problem_codes is None else (PROBLEMS,))}
    found = [p for p in check_case_file(after, ctx, problem_codes) if p.field in fields]
    return texts(CaseFile, found, LABELS)


def refuse_case_change(
    cur: duckdb.DuckDBPyConnection,
    case: Mapping[str, Any],
    changes: Mapping[str, Any],
    today: date,
    problem_codes: Sequence[str] | None = None,
) -> None:
    problems = case_change_problems(cur, case, changes, today, problem_codes)
    if problems:
        raise InvalidInput(problems)


def refuse_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput([f"{field}: {day:%d.%m.%Y} jest w przyszłości"])


def parse_nth(cls: type[Record], data: dict[str, Any], field: str, n: int) -> Record:
    """Parse an item of a list, naming it in the message ("Cel szczegółowy 2: …")."""
    try:
        return cls.parse(data)
    except InvalidInput as exc:
        name = label(cls, field)
        raise InvalidInput([p.replace(name, f"{name} {n}", 1) for p in exc.problems]) from None


def list_problem_areas(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Code → label of the problem areas (art. 7 ustawy o pomocy społecznej, extended by the admin)."""
    return dict(conn.execute("SELECT code, label FROM problem_area ORDER BY label").fetchall())


def check_problem_codes(cur: duckdb.DuckDBPyConnection, problems: Sequence[str]) -> None:
    """Refuse codes missing from the problem-area list that cases and services share."""
    known = list_problem_areas(cur)
    unknown = [p for p in problems if p not in known]
    if unknown:
        raise InvalidInput([f"Obszary problemowe: nieznany obszar {', '.join(unknown)}"])


def next_case_code(cur: duckdb.DuckDBPyConnection, terc: str) -> str:
    """`P-<terc>-<NNNN>`: the next free number of the gmina (never a name)."""
    last = cur.execute(
        "SELECT max(CAST(split_part(case_code, '-', 3) AS INTEGER)) FROM case_file WHERE case_code LIKE ?",
        [f"P-{terc}-%"],
    ).fetchall()[0][0]
    return f"P-{terc}-{(last or 0) + 1:04d}"


@idempotent
def register_case(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    terc: str,
    kind: str,
    referred_on: date,
    today: date,
    consent_on: date | None = None,
    problems: Sequence[str] = (),
    form_token: str | None = None,
) -> str:
    """A person, family or group referred to the model in a pilot gmina; returns the generated code."""
    require_edit_gmina(actor, terc)
    with transaction(conn) as cur:
        code = next_case_code(cur, terc)
        record = CaseFile.parse(
            {
                "case_code": code,
                "terc": terc,
                "kind": kind,
                "referred_on": referred_on,
                "consent_on": consent_on,
            }
        )
        assert isinstance(record, CaseFile)
        refuse(CaseFile, check_case_file(record, load_cases_context(cur, today, case_code=code)))
        check_problem_codes(cur, problems)
        insert(cur, actor.username, record)
        for problem in dict.fromkeys(problems):
            insert(cur, actor.username, CaseProblem(case_code=code, problem_code=problem), terc=terc)
        return code


@idempotent
def add_problem_area(
    conn: duckdb.DuckDBPyConnection, actor: Actor, code: str, name: str, *, form_token: str | None = None
) -> None:
    """The admin extends the list of problem areas (art. 7 ustawy o pomocy społecznej and beyond)."""
    require_admin(actor)
    record = ProblemArea.parse({"code": code, "label": name})
    with transaction(conn) as cur:
        insert(cur, actor.username, record)


def record_diagnosis(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    diagnosed_on: date,
    problems: Sequence[str],
    today: date,
    expected_version: int | None = None,
) -> None:
    """The diagnosis (from the community interview): its date and the diagnosed problem areas."""
    case = load_case(conn, actor, case_code)
    with transaction(conn) as cur:
        refuse_case_change(cur, case, {"diagnosed_on": diagnosed_on}, today, problem_codes=problems)
        check_problem_codes(cur, problems)
        update(cur, actor.username, CaseFile, case_code, {"diagnosed_on": diagnosed_on}, expected_version)
        cur.execute("DELETE FROM case_problem WHERE case_code = ?", [case_code])
        for problem in dict.fromkeys(problems):
            insert(
                cur, actor.username, CaseProblem(case_code=case_code, problem_code=problem), terc=case["terc"]
            )
