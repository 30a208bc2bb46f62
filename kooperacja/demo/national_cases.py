"""National demo: about 100,000 cases with their goals, tasks, monthly reports and baskets."""

from __future__ import annotations

from typing import Any

from kooperacja.demo import names as N
from kooperacja.demo.bulk import _bulk, _dates
from kooperacja.demo.cases import CLOSURES, STAGE_WEIGHTS
from kooperacja.demo.national_partners import _NationalPartners
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
from kooperacja.warehouse.store import reserve_ids

NATIONAL_CASES = 100_000


class _NationalCases(_NationalPartners):
    """Cases, tasks and reports of the whole country, drawn as vectors."""

    # --- cases, tasks, reports -----------------------------------------------------------------

    def ints(self, a: int, b: int, n: int) -> Any:
        """n random ints in [a, b]."""
        return self.g.integers(a, b + 1, n)

    def cases(self) -> None:
        import pandas as pd

        np, g, T = self.np, self.g, self.T
        gm = self.gm[(self.gm.k7_on >= 0) & (self.gm.pzk_on >= 0) & (self.T - self.gm.k7_on >= 10)]
        weight = (T - gm.k7_on.to_numpy()) / 30.4 + 1
        target = NATIONAL_CASES * len(self.gm) / 2477
        counts = g.poisson(target * weight / weight.sum())
        gidx = np.repeat(np.arange(len(gm)), counts)
        n = len(gidx)
        k7 = gm.k7_on.to_numpy()[gidx]
        ref = k7 + np.floor(g.random(n) * (T - k7 - 3)).astype("int64")
        terc = gm.terc.to_numpy()[gidx]
        order = np.lexsort((ref, terc))
        terc, ref = terc[order], ref[order]
        c = pd.DataFrame({"terc": terc})
        c["case_code"] = "P-" + c.terc + "-" + (c.groupby("terc").cumcount() + 1).map("{:04d}".format)
        kind = g.choice(["rodzina", "osoba", "grupa"], n, p=[0.6, 0.3, 0.1])
        stage = g.choice(8, n, p=np.array(STAGE_WEIGHTS) / sum(STAGE_WEIGHTS))
        reason = g.choice(CLOSURES[0], n, p=np.array(CLOSURES[1]) / sum(CLOSURES[1]))
        consent = ref + self.ints(2, 14, n)
        ok1 = (stage >= 1) & (consent < T)
        diag = consent + self.ints(7, 21, n)
        ok2 = ok1 & (stage >= 2) & (diag < T)
        plan = diag + self.ints(5, 15, n)
        ok3 = ok2 & (stage >= 3) & (plan < T)
        cfrom = plan + self.ints(0, 10, n)
        okc = ok3 & (stage >= 4) & (cfrom < T)
        last = np.where(ok3, plan, np.where(ok2, diag, np.where(ok1, consent, ref)))
        early = (stage == 7) & (reason != "goals_achieved")
        closed_early = last + self.ints(20, 150, n)
        evaluated = plan + self.ints(90, 260, n)
        ok_eval = ok3 & (stage >= 6) & ~early & (evaluated < T)
        goals = (stage == 7) & (reason == "goals_achieved")
        result = np.where(
            g.random(n) < np.where(goals, 0.7, 0.6),
            "full",
            np.where(goals | (g.random(n) < 0.5), "partial", "none"),
        )
        closed_late = evaluated + self.ints(0, 14, n)
        ok_late = ok_eval & (stage == 7) & (closed_late < T)
        ok_closed = (early & (closed_early < T)) | ok_late
        closed = np.where(early, closed_early, closed_late)
        follow = ok_late & goals & (g.random(n) < 0.7)
        mains = {k: v for k, v in N.MAIN_GOALS.items()}
        pick = g.integers(0, 2, n)
        c["kind"] = kind
        c["referred_on"] = _dates(ref)
        c["consent_on"] = _dates(consent, ok1)
        c["diagnosed_on"] = _dates(diag, ok2)
        c["plan_on"] = _dates(plan, ok3)
        c["main_goal"] = np.where(
            ok3, [mains[k][p % len(mains[k])] for k, p in zip(kind, pick, strict=True)], None
        )
        c["contract_kind"] = np.where(
            okc, np.where(kind == "grupa", "projekt_socjalny", "kontrakt_socjalny"), None
        )
        c["contract_from"] = _dates(cfrom, okc)
        c["contract_to"] = _dates(cfrom + self.ints(182, 365, n), okc)
        c["evaluated_on"] = _dates(evaluated, ok_eval)
        c["evaluation"] = np.where(ok_eval, result, None)
        c["evaluation_note"] = c.evaluation.map(N.EVALUATION_NOTES)
        c["closed_on"] = _dates(closed, ok_closed)
        c["closure_reason"] = np.where(ok_closed, reason, None)
        c["followup_until"] = _dates(closed + self.ints(91, 183, n), follow)
        c["followup_note"] = np.where(follow, "Monitoring sytuacji po zakończeniu wsparcia przez OPS", None)
        _bulk(self.cur, CaseFile, c)
        names, weights = list(N.PROBLEM_WEIGHTS), np.array(list(N.PROBLEM_WEIGHTS.values()), dtype=float)
        draws = g.choice(names, (n, 3), p=weights / weights.sum())
        keep = np.arange(3)[None, :] < g.choice([1, 1, 2, 2, 3], n)[:, None]
        probs = pd.DataFrame(
            {
                "case_code": np.repeat(c.case_code.to_numpy(), 3)[keep.ravel()],
                "problem_code": draws.ravel()[keep.ravel()],
            }
        ).drop_duplicates()
        _bulk(self.cur, CaseProblem, probs)
        areas = pd.DataFrame({"code": list(PROBLEM_AREAS), "label": list(PROBLEM_AREAS.values())})
        _bulk(self.cur, ProblemArea, areas, every=1)
        self.case = c.assign(
            plan=np.where(ok3, plan, -1), diag=np.where(ok2, diag, -1), closed=np.where(ok_closed, closed, -1)
        )
        self.problems = probs

    def tasks_and_reports(self) -> None:

        np, g, T = self.np, self.g, self.T
        planned = self.case[self.case.plan >= 0][["case_code", "terc", "plan", "closed"]]
        goals = self.problems.merge(planned, on="case_code")
        n = len(goals)
        choice = self.ints(0, 9, n)
        goals["text"] = [
            N.GOALS[p][k % len(N.GOALS[p])] for p, k in zip(goals.problem_code, choice, strict=True)
        ]
        goals["goal_id"] = reserve_ids(self.cur, "case_goal", n)
        _bulk(self.cur, CaseGoal, goals[["goal_id", "case_code", "text"]])
        per_goal = np.minimum(
            self.ints(1, 3, n), goals.problem_code.map(lambda p: len(N.TASKS[p])).to_numpy()
        )
        t = goals.loc[goals.index.repeat(per_goal)].reset_index(drop=True)
        first = self.ints(0, 9, n)
        offset = t.groupby("goal_id").cumcount().to_numpy()
        option = [
            N.TASKS[p][(k + o) % len(N.TASKS[p])]
            for p, k, o in zip(t.problem_code, np.repeat(first, per_goal), offset, strict=True)
        ]
        t["description"] = [o[0] for o in option]
        t["sector"] = [o[1] for o in option]
        doer = self.members.groupby(["terc", "sector"], as_index=False).institution_id.first()
        t = t.merge(doer, on=["terc", "sector"], how="left")
        ops = t.terc.map(self.first_at)
        t["institution_id"] = t.institution_id.fillna(ops).where(t.sector.notna()).astype("Int64")
        m = len(t)
        plan, closed = t.plan.to_numpy(), t.closed.to_numpy()
        end = np.where(closed >= 0, closed, T)
        due = plan + self.ints(90, 330, m)
        done = np.maximum(plan + 14, due - self.ints(0, 20, m))
        has_done = (due < end) & (g.random(m) < 0.6) & (done < end)
        t["due_on"], t["done_on"] = _dates(due), _dates(done, has_done)
        t["task_id"] = reserve_ids(self.cur, "case_task", m)
        _bulk(
            self.cur,
            CaseTask,
            t[["task_id", "case_code", "goal_id", "description", "institution_id", "due_on", "done_on"]],
        )
        self.tasks = t[["task_id", "case_code", "institution_id"]]
        self.reports(
            t.task_id.to_numpy(),
            plan,
            np.minimum(np.where(has_done, done, T), end),
            has_done,
            done,
            t.case_code.to_numpy(),
        )

    def reports(self, task: Any, plan: Any, last: Any, has_done: Any, done: Any, case: Any) -> None:
        import pandas as pd

        np, g, T = self.np, self.g, self.T

        def ym(days: Any) -> Any:
            return _dates(days).astype("datetime64[M]").astype("int64")

        first_ym, last_ym = ym(plan), ym(last)
        counts = np.maximum(last_ym - first_ym + 1, 0)
        idx = np.repeat(np.arange(len(task)), counts)
        offset = np.arange(len(idx)) - np.repeat(np.cumsum(counts) - counts, counts)
        month = first_ym[idx] + offset
        month_day = month.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
        next_day = (month + 1).astype("datetime64[M]").astype("datetime64[D]").astype("int64")
        reported = next_day + self.ints(0, 9, len(idx))
        open_cases = np.unique(case)
        lagging = set(g.choice(open_cases, max(1, len(open_cases) // 50), replace=False))
        previous = ym(np.array([T]))[0] - 1
        lag = pd.Series(case).isin(lagging).to_numpy()[idx] & (month == previous)
        keep = (reported <= T) & (g.random(len(idx)) >= 0.08) & ~lag
        is_done = has_done[idx] & (ym(done)[idx] == month)
        roll = g.random(len(idx))
        progress = np.where(
            is_done,
            "done",
            np.where(
                (offset == 0) & (roll < 0.4), "not_started", np.where(roll > 0.82, "delayed", "on_track")
            ),
        )
        notes = np.array(N.REPORT_NOTES[:4] + [None] * 16, dtype=object)[g.integers(0, 20, len(idx))]
        frame = pd.DataFrame(
            {
                "task_id": task[idx],
                "month": _dates(month_day),
                "reported_on": _dates(reported),
                "progress": progress,
                "note": np.where(is_done, "Zadanie zakończone", notes),
            }
        )
        self.say(f"Sprawozdania miesięczne: {int(keep.sum()):,} wierszy…".replace(",", " "))
        _bulk(self.cur, MonthlyReport, frame[keep])

    def basket(self) -> None:
        """Each planned case picks 1–3 services of its gmina and powiat valid when support began."""
        import pandas as pd

        np = self.np
        empty = (np.array([], dtype="int64"), np.array([], dtype="int64"))
        pools = {}
        for terc in self.gm.terc:
            parts = [self.services_at.get(terc, empty), self.services_at.get(terc[:4], empty)]
            pools[terc] = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
        planned = self.case[self.case.plan >= 0]
        start = planned.plan.to_numpy() + self.ints(0, 20, len(planned))
        keep = start < self.T
        rows = []
        for code, terc, on, closed in zip(
            planned.case_code[keep], planned.terc[keep], start[keep], planned.closed[keep], strict=True
        ):
            ids, since = pools[terc]
            fits = ids[since <= on]
            for sid in self.rng.sample(list(fits), min(len(fits), self.rng.randint(1, 3))):
                rows.append((code, sid, on, max(closed, on) if closed >= 0 else -1))
        frame = pd.DataFrame(rows, columns=["case_code", "service_id", "from_on", "to_on"])
        frame["to_on"] = _dates(frame.to_on, frame.to_on >= 0)
        frame["from_on"] = _dates(frame.from_on)
        _bulk(self.cur, CaseService, frame)
