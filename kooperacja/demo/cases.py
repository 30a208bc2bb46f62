"""Pilot demo: pseudonymous cases, their plans, tasks, monthly reports, baskets and GGK meetings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kooperacja.cases.counts import refresh_case_counts
from kooperacja.demo import names as N
from kooperacja.demo.common import add_days, month_start, workday
from kooperacja.model import rules
from kooperacja.model.records import (
    CaseFile,
    CaseGoal,
    CaseProblem,
    CaseService,
    CaseTask,
    MonthlyReport,
    ProblemArea,
)
from kooperacja.model.vocab import PROBLEM_AREAS
from kooperacja.warehouse.store import insert_many, reserve_ids

if TYPE_CHECKING:
    from kooperacja.demo.pilot import _PilotDemo


STAGES = ["referred", "consent", "diagnosed", "plan", "contract", "delivery", "evaluated", "closed"]
STAGE_WEIGHTS = [1, 1, 1, 1, 1, 4, 2, 5]
CLOSURES = (["goals_achieved", "no_cooperation", "resigned", "other"], [5, 2, 2, 1])


class _Cases:
    """Pseudonymous cases of the pilot gminy past K7: plans, tasks, reports, GGK and monitoring."""

    def __init__(self, demo: _PilotDemo):
        self.d, self.rng, self.today = demo, demo.rng, demo.today
        self.cases: list[CaseFile] = []
        self.problems: dict[str, list[str]] = {}

    def build(self) -> None:
        insert_many(
            self.d.cur,
            [ProblemArea(code=c, label=lbl) for c, lbl in PROBLEM_AREAS.items()],
            "demo",
            audited=False,
        )
        for p in self.d.plan:
            begun = self.d.started.get((p["terc"], "7.2"))
            if begun is None or (self.today - begun).days < 10 or p["terc"] not in self.d.members:
                continue
            months = (self.today - begun).days / 30.4
            n = max(8, min(20, round(8 + 1.3 * months)))
            referred = sorted(add_days(begun, self.d.r(0, (self.today - begun).days - 3)) for _ in range(n))
            for k, on in enumerate(referred, start=1):
                self.case(p["terc"], f"P-{p['terc']}-{k:04d}", on)
        open_planned = [
            c for c in self.cases if c.plan_on and not c.closed_on and (self.today - c.plan_on).days > 60
        ]
        self.lagging = {c.case_code for c in self.rng.sample(open_planned, min(3, len(open_planned)))}
        goals, tasks, reports, picked = [], [], [], []
        for c in self.cases:
            if c.plan_on is not None:
                g, t, r = self.plan_work(c)
                goals += g
                tasks += t
                reports += r
                picked += self.basket(c)
                self.case_meetings(c, t)
        cur = self.d.cur
        insert_many(cur, self.cases, "demo", audited=False)
        insert_many(
            cur,
            [CaseProblem(case_code=c, problem_code=p) for c, ps in self.problems.items() for p in ps],
            "demo",
            audited=False,
        )
        for rows in (goals, tasks, reports, picked):
            insert_many(cur, rows, "demo", audited=False)
        refresh_case_counts(cur)  # the kept counts of the cases just built

    def case(self, terc: str, code: str, referred: date) -> None:
        rng, d = self.rng, self.d
        kind = rng.choices(["rodzina", "osoba", "grupa"], [6, 3, 1])[0]
        weights = N.PROBLEM_WEIGHTS
        problems: list[str] = []
        while len(problems) < rng.choice([1, 1, 2, 2, 3]):
            pick = rng.choices(list(weights), list(weights.values()))[0]
            problems += [] if pick in problems else [pick]
        self.problems[code] = problems
        stage = STAGES.index(rng.choices(STAGES, STAGE_WEIGHTS)[0])
        reason = rng.choices(*CLOSURES)[0]
        f: dict[str, Any] = {"case_code": code, "terc": terc, "kind": kind, "referred_on": referred}
        last = referred
        for field, (a, b), needed in (
            ("consent_on", (2, 14), 1),
            ("diagnosed_on", (7, 21), 2),
            ("plan_on", (5, 15), 3),
        ):
            nxt = d.later(last, a, b)
            if stage < needed or nxt >= self.today:
                break
            f[field] = last = nxt
        if "plan_on" in f:
            f["main_goal"] = rng.choice(N.MAIN_GOALS[kind])
            start = d.later(f["plan_on"], 0, 10)
            if stage >= 4 and start < self.today:
                f.update(
                    contract_kind="projekt_socjalny" if kind == "grupa" else "kontrakt_socjalny",
                    contract_from=start,
                    contract_to=rules.add_months(start, d.r(6, 12)),
                )
        if stage == 7 and reason != "goals_achieved":
            closed = d.later(last, 20, 150)
            if closed < self.today:
                f.update(closed_on=closed, closure_reason=reason)
        elif stage >= 6 and "plan_on" in f:
            evaluated = d.later(f["plan_on"], 90, 260)
            if evaluated < self.today:
                result = "full" if rng.random() < 0.6 else rng.choice(["partial", "none"])
                if stage == 7 and reason == "goals_achieved":
                    result = "full" if rng.random() < 0.7 else "partial"
                f.update(
                    evaluated_on=evaluated, evaluation=result, evaluation_note=N.EVALUATION_NOTES[result]
                )
                closed = d.later(evaluated, 0, 14)
                if stage == 7 and closed < self.today:
                    f.update(closed_on=closed, closure_reason=reason)
                    if reason == "goals_achieved" and rng.random() < 0.7:
                        f.update(
                            followup_until=rules.add_months(closed, d.r(3, 6)),
                            followup_note="Monitoring sytuacji po zakończeniu wsparcia przez OPS",
                        )
        self.cases.append(CaseFile(**f))

    def members_on(self, terc: str, on: date) -> list[int]:
        return [i for i, s, left in self.d.members.get(terc, []) if s <= on and (left is None or left > on)]

    def plan_work(self, c: CaseFile) -> tuple[list, list, list]:
        d, rng = self.d, self.rng
        assert c.plan_on is not None
        members = self.members_on(c.terc, c.plan_on) or d.local(c.terc)[:1]
        end = min(c.closed_on or self.today, self.today)
        goals, tasks = [], []
        for problem in self.problems[c.case_code]:
            goal_id = reserve_ids(d.cur, "case_goal", 1)[0]
            goals.append(CaseGoal(goal_id=goal_id, case_code=c.case_code, text=rng.choice(N.GOALS[problem])))
            for text, sector in rng.sample(N.TASKS[problem], min(len(N.TASKS[problem]), d.r(1, 2))):
                fitting = [i for i in members if d.sector_of[i] == sector]
                institution = None if sector is None else (rng.choice(fitting) if fitting else members[0])
                due = d.later(c.plan_on, 60, 240)
                done = None
                if due < end and rng.random() < 0.75:
                    done = max(add_days(c.plan_on, 14), add_days(due, -d.r(0, 20)))
                    done = done if done < end else None
                tasks.append(
                    CaseTask(
                        case_code=c.case_code,
                        goal_id=goal_id,
                        description=text,
                        institution_id=institution,
                        due_on=due,
                        done_on=done,
                    )
                )
        ids = reserve_ids(d.cur, "case_task", len(tasks))
        tasks = [t.model_copy(update={"task_id": i}) for i, t in zip(ids, tasks, strict=True)]
        return goals, tasks, [r for t in tasks for r in self.reports(c, t)]

    def reports(self, c: CaseFile, t: CaseTask) -> list[MonthlyReport]:
        rng, d = self.rng, self.d
        assert c.plan_on is not None and t.task_id is not None
        last = min(x for x in (t.done_on, c.closed_on, self.today) if x is not None)
        previous = rules.add_months(month_start(self.today), -1)
        out = []
        for k, month in enumerate(rules.month_starts(c.plan_on, last)):
            reported = add_days(rules.add_months(month, 1), d.r(0, 9))
            if reported > self.today or rng.random() < 0.08:
                continue
            if c.case_code in self.lagging and month == previous:
                continue
            if t.done_on and month_start(t.done_on) == month:
                progress = "done"
            elif k == 0 and rng.random() < 0.4:
                progress = "not_started"
            else:
                progress = "delayed" if rng.random() < 0.18 else "on_track"
            note = rng.choice(N.REPORT_NOTES[:4]) if rng.random() < 0.2 else None
            out.append(
                MonthlyReport(
                    task_id=t.task_id,
                    month=month,
                    reported_on=reported,
                    progress=progress,
                    note="Zadanie zakończone" if progress == "done" else note,
                )
            )
        return out

    def basket(self, c: CaseFile) -> list[CaseService]:
        """The individual basket: services of the gmina, its powiat and the region valid at the plan."""
        assert c.plan_on is not None
        start = self.d.later(c.plan_on, 0, 20)
        if start >= self.today:
            return []
        areas = {c.terc, c.terc[:4], c.terc[:2]}
        wanted = set(self.problems[c.case_code])
        fits = [
            s
            for s in self.d.service_rows
            if s.area_terc in areas and s.valid_from <= start and (s.valid_to is None or s.valid_to >= start)
        ]
        fits.sort(key=lambda s: (-len(wanted & set(s.problem_areas)), self.rng.random()))
        end = c.closed_on
        return [
            CaseService(
                case_code=c.case_code,
                service_id=s.service_id,
                from_on=start,
                to_on=max(end, start) if end else None,
            )
            for s in fits[: self.d.r(1, 3)]
        ]

    def case_meetings(self, c: CaseFile, tasks: list[CaseTask]) -> None:
        d, rng = self.d, self.rng
        assert c.plan_on is not None
        ops = d.at_seat[c.terc][0]
        members = self.members_on(c.terc, c.plan_on)
        team = sorted({ops, *(t.institution_id for t in tasks if t.institution_id)})
        if c.diagnosed_on:
            first = sorted({ops, *rng.sample(members, min(len(members), d.r(2, 4)))})
            held = workday(c.diagnosed_on)
            d.meet(
                "ggk",
                c.terc,
                held,
                [(i, d.notified(held, 0.025)) for i in first],
                case_code=c.case_code,
                agenda="Diagnoza sytuacji i ustalenie składu grupy",
                family_present=False,
                decisions="Ustalono zakres diagnozy i zadania instytucji",
            )
        held = workday(c.plan_on)
        d.meet(
            "ggk",
            c.terc,
            held,
            [(i, d.notified(held, 0.025)) for i in team],
            case_code=c.case_code,
            agenda="Przyjęcie planu pracy z rodziną",
            family_present=True,
            decisions="Przyjęto plan pracy i harmonogram zadań",
        )
        end = min(c.closed_on or self.today, self.today)
        neglected = c.closed_on is None and rng.random() < 0.15
        held = workday(d.later(c.plan_on, 75, 88))
        while held <= end and not (neglected and held > add_days(self.today, -100)):
            present = rng.random() < 0.7
            d.meet(
                "monitoring",
                c.terc,
                held,
                [(i, d.notified(held)) for i in team],
                case_code=c.case_code,
                agenda="Monitoring realizacji planu pracy",
                family_present=present,
                decisions="Plan realizowany" if present else "Rodzinę poinformowano o wynikach monitoringu",
            )
            held = workday(d.later(held, 75, 88))
