"""Pure checks of case records (the case file's milestones, tasks, monthly reports) against a context.

The forms load the context of one case, the importer of all cases once per file (then grows it with
the file's rows): both doors refuse the same rows with the same reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from kooperacja.model.checks import Problem, future
from kooperacja.model.records import CaseFile, CaseTask, MonthlyReport
from kooperacja.model.vocab import CASE_KINDS, CONTRACT_KINDS

# Kontrakt socjalny for work with a person or family, projekt socjalny with a family or group (001, 4.4).
CONTRACT_FOR = {"kontrakt_socjalny": {"osoba", "rodzina"}, "projekt_socjalny": {"rodzina", "grupa"}}
NEED_PLAN = "najpierw zapisz plan pracy (kartę planu)"
PROBLEMS = "problem_codes"  # the case's problem areas, kept in case_problem beside its row
LABELS = {PROBLEMS: "Obszary problemowe"}
DATES = ("referred_on", "consent_on", "diagnosed_on", "plan_on", "contract_from", "evaluated_on", "closed_on")


@dataclass(frozen=True)
class CaseFacts:
    """What the checks of a case's goals, tasks and reports need to know about the case."""

    terc: str
    plan_on: date | None
    closed_on: date | None


@dataclass
class CasesContext:
    today: date
    pilots: set[str] = field(default_factory=set)
    cases: dict[str, CaseFacts] = field(default_factory=dict)
    goal_case: dict[int, str] = field(default_factory=dict)  # goal → its case
    task_case: dict[int, str] = field(default_factory=dict)  # task → its case

    def remember(self, record: Any) -> None:
        """A row accepted earlier in the same file counts for the rows after it."""
        if record.TABLE == "case_file":
            self.cases[record.case_code] = CaseFacts(record.terc, record.plan_on, record.closed_on)
        elif record.TABLE == "case_goal" and record.goal_id is not None:
            self.goal_case[record.goal_id] = record.case_code
        elif record.TABLE == "case_task" and record.task_id is not None:
            self.task_case[record.task_id] = record.case_code

    def case_of_task(self, task_id: int) -> CaseFacts | None:
        code = self.task_case.get(task_id)
        return None if code is None else self.cases.get(code)


def load_cases_context(
    cur: duckdb.DuckDBPyConnection, today: date, *, case_code: str | None = None
) -> CasesContext:
    """The context of one case (a form) or of every case (an import: `case_code=None`)."""
    where = {"code": case_code}
    cases = {
        code: CaseFacts(terc, plan_on, closed_on)
        for code, terc, plan_on, closed_on in cur.execute(
            "SELECT case_code, terc, plan_on, closed_on FROM case_file "
            "WHERE $code IS NULL OR case_code = $code",
            where,
        ).fetchall()
    }
    goals = "SELECT goal_id, case_code FROM case_goal WHERE $code IS NULL OR case_code = $code"
    tasks = "SELECT task_id, case_code FROM case_task WHERE $code IS NULL OR case_code = $code"
    return CasesContext(
        today,
        {r[0] for r in cur.execute("SELECT terc FROM pilot_gmina").fetchall()},
        cases,
        dict(cur.execute(goals, where).fetchall()),
        dict(cur.execute(tasks, where).fetchall()),
    )


def check_case_file(
    record: CaseFile, ctx: CasesContext, problem_codes: Sequence[str] | None = None
) -> list[Problem]:
    """The case's milestones in order: a diagnosis names its problem areas (when they are given), a plan
    needs a diagnosis, a contract and an evaluation need the plan, closing for achieved goals needs the
    evaluation; no date in the future; a pilot gmina."""
    problems = [p for name in DATES for p in future(name, getattr(record, name), ctx.today)]
    if record.diagnosed_on and problem_codes is not None and not problem_codes:
        problems.append(Problem(PROBLEMS, "wskaż co najmniej jeden obszar"))
    if record.terc not in ctx.pilots:
        problems.append(Problem("terc", f"gmina {record.terc} nie uczestniczy w pilotażu"))
    if record.plan_on and record.diagnosed_on is None:
        problems.append(Problem("plan_on", "najpierw zapisz diagnozę sprawy"))
    if record.contract_kind and record.plan_on is None:
        problems.append(Problem("contract_kind", NEED_PLAN))
    allowed = CONTRACT_FOR.get(record.contract_kind or "")
    if allowed and record.kind not in allowed:
        problems.append(
            Problem(
                "contract_kind",
                f"{CONTRACT_KINDS[record.contract_kind]} nie dotyczy sprawy rodzaju "  # type: ignore[index]
                f"„{CASE_KINDS[record.kind]}”",
            )
        )
    if record.contract_from and record.plan_on and record.contract_from < record.plan_on:
        problems.append(Problem("contract_from", f"wcześniej niż plan pracy ({record.plan_on:%d.%m.%Y})"))
    if (record.evaluated_on or record.evaluation) and record.plan_on is None:
        problems.append(Problem("evaluation", NEED_PLAN))
    if record.closure_reason == "goals_achieved" and record.evaluated_on is None:
        problems.append(
            Problem(
                "closure_reason",
                "osiągnięcie celów stwierdza ewaluacja — zapisz ją najpierw (część C załącznika 6)",
            )
        )
    if record.followup_until and record.closed_on and record.followup_until <= record.closed_on:
        problems.append(Problem("followup_until", f"musi być po zakończeniu ({record.closed_on:%d.%m.%Y})"))
    return problems


def check_case_task(record: CaseTask, ctx: CasesContext) -> list[Problem]:
    """A task of the case's plan: its goal is a goal of the same case, its due date not before the plan."""
    problems = []
    owner = ctx.goal_case.get(record.goal_id) if record.goal_id is not None else None
    if owner is not None and owner != record.case_code:
        problems.append(Problem("goal_id", f"cel nr {record.goal_id} należy do innej sprawy ({owner})"))
    case = ctx.cases.get(record.case_code)
    if case is not None and case.plan_on is None:
        problems.append(Problem("case_code", NEED_PLAN))
    elif case is not None and record.due_on < case.plan_on:  # type: ignore[operator]
        problems.append(Problem("due_on", "termin wcześniejszy niż data planu"))
    return problems + future("done_on", record.done_on, ctx.today)


def check_monthly_report(record: MonthlyReport, ctx: CasesContext) -> list[Problem]:
    """A month of the case's plan that has begun, not after the case closed."""
    problems = future("reported_on", record.reported_on, ctx.today)
    month = record.month
    if month > ctx.today.replace(day=1):
        problems.append(Problem("month", f"{month:%m.%Y} jeszcze się nie zaczął"))
    case = ctx.case_of_task(record.task_id)
    if case is None:
        return problems
    if case.plan_on is None:
        return [*problems, Problem("task_id", NEED_PLAN)]
    if month < case.plan_on.replace(day=1):
        problems.append(Problem("month", f"{month:%m.%Y} jest przed planem pracy ({case.plan_on:%d.%m.%Y})"))
    if case.closed_on and month > case.closed_on:
        problems.append(Problem("month", f"sprawę zakończono {case.closed_on:%d.%m.%Y}"))
    return problems
