"""Pilot demo, first phases: the territory, the gminy in the pilot and their harmonogram events."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from kooperacja.demo import names as N
from kooperacja.demo.common import (
    ANIMATORS,
    SHIFT_DAYS,
    SHIFT_FROM,
    STALL_DAYS,
    _powiat_locative,
    add_days,
    workday,
)
from kooperacja.model import rules
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import Gmina, Meeting, PilotGmina, PlanShift, StepEvent, Zgloszenie
from kooperacja.model.vocab import DEFAULT_VARIANT, GMINA_KINDS
from kooperacja.programme.harmonogram import refresh_plan_dates
from kooperacja.warehouse.store import insert_many, update


class _PilotSteps:
    """The territory, the pilot plan and the K1–K10 step events of one region."""

    template: tuple[int, int]  # set by _PilotDemo
    steps: pd.DataFrame

    def __init__(
        self,
        cur: duckdb.DuckDBPyConnection,
        today: date,
        say: Callable[[str], None],
        real: bool,
        woj: str | None,
    ):
        self.cur, self.today, self.say, self.real = cur, today, say, real
        self.rng = random.Random(42)
        self.woj = woj or N.WOJ[0]
        self.events: list[StepEvent] = []
        self.meetings: list[tuple[Meeting, list[tuple[int, date | None]]]] = []
        self.done: dict[tuple[str, str], date] = {}  # (terc, substep) → completed on
        self.started: dict[tuple[str, str], date] = {}

    def r(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def later(self, d: date, a: int, b: int) -> date:
        return d + timedelta(days=self.r(a, b))

    # --- territory and the pilot ---------------------------------------------------------------

    def territory(self) -> None:
        if self.real:
            self.real_territory()
            return
        code, name, self.region_name = N.WOJ
        self.cur.execute("INSERT INTO wojewodztwo VALUES (?, ?)", [code, name])
        self.cur.executemany("INSERT INTO powiat VALUES (?, ?, ?)", [list(p) for p in N.POWIATY])
        gminy = [
            Gmina(
                terc=t,
                name=n,
                kind=GMINA_KINDS[int(t[-1])],
                population=pop,
                variant_override="rural" if t == N.RURAL_OVERRIDE else None,
            )
            for t, n, pop in N.GMINY
        ]
        insert_many(self.cur, gminy, "demo", audited=False)
        self.gminy = {g.terc: (g.name, g.kind, g.variant_override) for g in gminy}
        self.powiaty = {t: is_city for t, _, is_city in N.POWIATY}
        self.in_gmina = {t: "w " + N.LOCATIVE[n] for t, (n, _, _) in self.gminy.items()}
        self.in_seat = {t: "w " + seat for t, seat in N.POWIAT_SEATS.items()}
        self.in_seat[code] = "w " + N.REGION_SEAT
        self.of_woj = "Województwa Nadwiślańskiego"
        self.slots = N.PILOT
        self.candidates = N.CANDIDATES

    def real_territory(self) -> None:
        """Lay the pilot over the gminy of a real województwo imported from the TERC register."""
        rows = self.cur.execute(
            "SELECT terc, name, kind, variant_override FROM gmina WHERE left(terc, 2) = ? ORDER BY terc",
            [self.woj],
        ).fetchall()
        if not rows:
            raise ValueError(f"w rejestrze TERC nie ma gmin województwa {self.woj}")
        wname = self.cur.execute("SELECT name FROM wojewodztwo WHERE terc = ?", [self.woj]).fetchall()
        adj = (wname[0][0] if wname else self.woj).lower().removeprefix("województwo ").strip()
        self.region_name = f"Województwo {adj}"
        self.of_woj = f"Województwa {adj[:-1].title()}ego" if adj.endswith("e") else f"({adj})"
        self.gminy = {t: (n, k, v) for t, n, k, v in rows}
        self.powiaty = dict(
            self.cur.execute(
                "SELECT terc, is_city FROM powiat WHERE left(terc, 2) = ? ORDER BY terc", [self.woj]
            ).fetchall()
        )
        self.in_gmina = {
            t: f"w mieście {n}" if k == "miejska" else f"w gminie {n}" for t, (n, k, _) in self.gminy.items()
        }
        names = dict(self.cur.execute("SELECT terc, name FROM powiat").fetchall())
        self.in_seat = {p: _powiat_locative(names.get(p, p), c) for p, c in self.powiaty.items()}
        self.in_seat[self.woj] = f"w województwie {adj[:-1]}m" if adj.endswith("e") else f"({adj})"
        self.slots, taken = self._real_slots()
        rest = [t for t in self.gminy if t not in taken and t[:4] in {s[0][:4] for s in self.slots}]
        picks = self.rng.sample(rest, min(3, len(rest)))
        self.candidates = [
            (t, days, contact) for t, (_, days, contact) in zip(picks, N.CANDIDATES, strict=False)
        ]

    def _real_slots(self) -> tuple[list[tuple[str, int, str]], set[str]]:
        order = sorted({t[:4] for t in self.gminy})
        self.rng.shuffle(order)
        chosen: list[str] = []
        taken: set[str] = set()
        slots = []
        for fake, months, profile in N.PILOT:
            kind, city = GMINA_KINDS[int(fake[-1])], fake[2:4] >= "61"
            pick = None
            for pw in chosen + [p for p in order if p not in chosen]:
                options = [
                    t
                    for t in self.gminy
                    if t[:4] == pw
                    and t not in taken
                    and self.gminy[t][1] == kind
                    and (pw[2:4] >= "61") == city
                ]
                if options and sum(t[:4] == pw for t in taken) < 4:
                    pick = options[0]
                    break
            pick = pick or next(t for t in self.gminy if t not in taken)
            chosen += [pick[:4]] if pick[:4] not in chosen else []
            taken.add(pick)
            slots.append((pick, months, profile))
            if fake == N.RURAL_OVERRIDE and self.gminy[pick][1] == "miejsko-wiejska":
                update(self.cur, "demo", Gmina, pick, {"variant_override": "rural"})
                name, kind, _ = self.gminy[pick]
                self.gminy[pick] = (name, kind, "rural")
        return slots, taken

    def pilot(self) -> None:
        own = self.steps[self.steps.level == "gmina"]
        self.own_steps = list(row_tuples(own))
        shift_month = int(own[own.substep == SHIFT_FROM].start_month.iloc[0])
        self.plan: list[dict[str, Any]] = []
        for i, (terc, months, profile) in enumerate(self.slots):
            start = add_days(rules.add_months(self.today, -months), -self.r(0, 12))
            if profile == "due_soon":
                start = self._start_due_soon(rules.add_months(self.today, -months))
            _, kind, override = self.gminy[terc]
            self.plan.append(
                {
                    "terc": terc,
                    "slot": i,
                    "profile": profile,
                    "plan_start": start,
                    "joined_on": add_days(start, -self.r(3, 14)),
                    "kind": kind,
                    "animator": ANIMATORS[i * len(ANIMATORS) // len(self.slots)],
                    "variant": override or DEFAULT_VARIANT[kind],
                    "shift": SHIFT_DAYS if profile == "shifted" else 0,
                    "shift_month": shift_month,
                }
            )
        tid, version = self.template
        insert_many(
            self.cur,
            [
                PilotGmina(
                    terc=p["terc"],
                    joined_on=p["joined_on"],
                    animator=p["animator"],
                    variant=p["variant"],
                    template_id=tid,
                    template_version=version,
                    plan_start=p["plan_start"],
                )
                for p in self.plan
            ],
            "demo",
            audited=False,
        )
        joined: dict[str, date] = {}
        for p in self.plan:
            joined[p["terc"][:4]] = min(joined.get(p["terc"][:4], p["joined_on"]), p["joined_on"])
        self.cur.executemany(
            "INSERT INTO pilot_powiat VALUES (?, ?)", [list(j) for j in sorted(joined.items())]
        )
        shifts = []
        for p in self.plan:
            if p["shift"]:
                at, _ = rules.planned_window(p["plan_start"], p["shift_month"], p["shift_month"])
                shifts.append(
                    PlanShift(
                        terc=p["terc"],
                        substep=SHIFT_FROM,
                        days=p["shift"],
                        reason=N.SHIFT_REASON,
                        shifted_on=self.later(at, -10, -3),
                    )
                )
        insert_many(self.cur, shifts, "demo", audited=False)
        refresh_plan_dates(self.cur)  # the kept plan dates of the gminy just set up
        self.programme_start = min(p["plan_start"] for p in self.plan)

    def _start_due_soon(self, around: date) -> date:
        """A plan start that leaves one of the gmina's sub-steps due 2–6 days from today."""
        for k in range(-20, 21):
            start = add_days(around, k)
            for s in self.own_steps:
                begin, due = rules.planned_window(start, s.start_month, s.end_month)
                if begin <= self.today and 2 <= (due - self.today).days <= 6:
                    return start
        return around

    # --- harmonogram events --------------------------------------------------------------------

    def window(self, p: dict[str, Any], s: Any) -> tuple[date, date]:
        shift = p["shift"] if s.start_month >= p["shift_month"] else 0
        return rules.planned_window(p["plan_start"], s.start_month, s.end_month, shift)

    def gmina_events(self, p: dict[str, Any]) -> None:
        profile, today = p["profile"], self.today
        late = profile in ("late", "stalled")
        cutoff = add_days(today, -STALL_DAYS) if profile == "stalled" else today
        skip = None
        if profile == "due_soon":
            soon = [
                s.substep
                for s in self.own_steps
                if self.window(p, s)[0] <= today and 0 <= (self.window(p, s)[1] - today).days <= 7
            ]
            skip = soon[-1] if soon else None
        protocol = 0
        for s in self.own_steps:
            start, due = self.window(p, s)
            if start > today or s.substep == skip:
                continue
            begun = max(workday(self.later(start, 5, 20) if late else self.later(start, 0, 6)), start)
            if begun >= cutoff:
                continue
            finish = self.later(due, 15, 55) if late else add_days(due, -self.r(0, 8))
            finish = max(workday(finish), begun)
            self.event(p, s.substep, "started", begun)
            if finish >= cutoff or (not late and due >= today and self.rng.random() < 0.7):
                continue
            protocol += 1
            note = self.rng.choice(N.LATE_NOTES) if finish > due and self.rng.random() < 0.5 else None
            self.event(p, s.substep, "completed", finish, self.evidence(p, s.substep, finish, protocol), note)

    def event(
        self,
        p: dict[str, Any] | None,
        substep: str,
        kind: str,
        on: date,
        evidence: str | None = None,
        note: str | None = None,
    ) -> None:
        terc = p["terc"] if p else None
        self.events.append(
            StepEvent(
                terc=terc,
                substep=substep,
                kind=kind,
                event_on=on,
                evidence=evidence,
                note=note,
                recorded_by=p["animator"] if p else "admin",
            )
        )
        (self.done if kind == "completed" else self.started)[(terc or "", substep)] = on

    def evidence(self, p: dict[str, Any], substep: str, on: date, n: int) -> str:
        head = "Prezydenta Miasta" if self.powiaty.get(p["terc"][:4]) else N.HEADS[p["kind"]]
        pattern = N.EVIDENCE.get(substep, "Protokół nr {n}/{y}")
        return pattern.format(n=n, y=on.year, y1=on.year + 1, d=f"{on:%d.%m.%Y}", head=head)

    def region_events(self) -> None:
        start = self.programme_start
        self.event(None, "1.1", "started", workday(add_days(start, -20)))
        self.event(
            None,
            "1.1",
            "completed",
            workday(self.later(start, 20, 35)),
            f"Protokół nr 1/{start.year} – spotkania z PCPR, wójtami i starostami",
        )
        self.event(None, "1.2", "started", workday(add_days(start, -15)))
        made = workday(self.later(start, 25, 40))
        self.event(
            None,
            "1.2",
            "completed",
            made,
            f"Uchwała nr {self.r(300, 900)}/{made.year} Zarządu "
            f"{self.of_woj} z dn. {made:%d.%m.%Y} w sprawie powołania WZK",
        )
        self.wzk_from = made

    def zgloszenia(self) -> None:
        self_formed = {0: 4, 10: 12}  # slot → days from signing the agreement to reporting it
        out = []
        for p in self.plan:
            received = self.done.get((p["terc"], "2.4"))
            if received is None:
                continue
            slot = p["slot"]
            contact = add_days(received, 12 if slot == 5 else self.r(1, 5))
            signed = add_days(received, -self_formed[slot]) if slot in self_formed else None
            out.append(
                Zgloszenie(
                    terc=p["terc"],
                    route="self_formed" if signed else "rops",
                    received_on=received,
                    signed_on=signed,
                    has_diagnosis=self.rng.random() < 0.8,
                    has_resources_card=self.rng.random() < 0.6,
                    has_network_analysis=self.rng.random() < 0.4,
                    has_agreement_copy=bool(signed) or self.rng.random() < 0.3,
                    first_contact_on=contact if contact <= self.today else None,
                    note=self.rng.choice(N.ZGLOSZENIE_NOTES) if self.rng.random() < 0.5 else None,
                )
            )
        for terc, days_ago, contact_after in self.candidates:
            received = add_days(self.today, -days_ago)
            contacted = add_days(received, contact_after) if contact_after else None
            out.append(
                Zgloszenie(
                    terc=terc,
                    route="rops",
                    received_on=received,
                    has_diagnosis=True,
                    first_contact_on=contacted,
                    note=N.CANDIDATE_NOTE,
                )
            )
        out.sort(key=lambda z: z.received_on)
        insert_many(self.cur, out, "demo", audited=False)
