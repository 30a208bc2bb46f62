"""The demo warehouse: a region in the pilot with every date laid relative to today.

`build_demo(path)` makes a fresh file. The pilot scale is a fictional województwo (or the real one
of a TERC register) that must look real to a ROPS animator; the national scale is the benchmark.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from kooperacja import demo_names as N
from kooperacja import rules, warehouse
from kooperacja.harmonogram import ensure_default_template, template_steps
from kooperacja.models import (
    CaseFile,
    CaseGoal,
    CaseProblem,
    CaseService,
    CaseTask,
    Gmina,
    Institution,
    Meeting,
    MeetingAttendee,
    MonthlyReport,
    PilotGmina,
    PlanShift,
    ProblemArea,
    PzkMember,
    Recommendation,
    Service,
    StepEvent,
    WzkAttendance,
    WzkMember,
    Zgloszenie,
)
from kooperacja.store import insert_many, reserve_ids, update
from kooperacja.users import create_user
from kooperacja.vocab import DEFAULT_VARIANT, GMINA_KINDS, PROBLEM_AREAS

DEMO_PASSWORD = "demo"
DEMO_USERS = [(u, N.DEMO_DISPLAY[u], role) for u, role in
              [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator"), ("wzk", "wzk"),
               ("zarzad", "zarzad")]]  # fmt: skip
ANIMATORS = ("animator1", "animator2")
SHIFT_DAYS, SHIFT_FROM = 45, "5.1"
STALL_DAYS = 118  # the stalled gmina's last event is older than the 90 days the rule allows


def build_demo(
    path: str | Path,
    *,
    scale: str = "pilot",
    terc_bytes: bytes | None = None,
    woj: str | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Replace the file at `path` with a demo warehouse; returns the row count of every table.

    Same `today`, same content: everything is drawn from `random.Random(42)`.
    """
    today = today or date.today()
    say = progress or (lambda _msg: None)
    path = Path(path)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    if scale not in ("pilot", "national"):
        raise ValueError(f"nieznana skala demo: {scale}")
    conn = warehouse.connect(path)
    try:
        if terc_bytes is not None:
            from kooperacja.territory import import_terc

            say("Import rejestru TERC…")
            import_terc(conn, terc_bytes, woj if scale == "pilot" else None, "demo")
        if scale == "national":
            build_national(conn, today, say, synthetic=terc_bytes is None)
        else:
            with warehouse.transaction(conn) as cur:
                _PilotDemo(cur, today, say, real=terc_bytes is not None, woj=woj).build()
        say("Gotowe.")
        return warehouse.table_counts(conn)
    finally:
        conn.close()


def write_settings(
    cur: duckdb.DuckDBPyConnection, today: date, region_name: str, woj: str, programme_start: date
) -> None:
    for key, value in {
        "demo": "true",
        "demo_built_on": today.isoformat(),
        "region_name": region_name,
        "wojewodztwo": woj,
        "programme_start": programme_start.isoformat(),
        "cookie_key": secrets.token_hex(32),
    }.items():
        warehouse.set_setting(cur, key, value)


def create_demo_users(cur: duckdb.DuckDBPyConnection) -> None:
    for username, display, role in DEMO_USERS:
        create_user(cur, "demo", username, display, role, DEMO_PASSWORD)


def workday(d: date) -> date:
    """The Friday before a weekend day: offices meet and sign on working days."""
    return d - timedelta(days=max(0, d.weekday() - 4))


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _powiat_locative(name: str, is_city: bool) -> str:
    """ "w powiecie kutnowskim" / "w mieście Łódź" for a powiat name from the TERC register."""
    name = name.removeprefix("powiat ").strip()
    if is_city or not name.endswith(("i", "y")):
        return f"w mieście {name}"
    return f"w powiecie {name}m"


class _PilotDemo:
    """One region's pilot, table by table; each phase keeps what the next one links to."""

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

    def build(self) -> None:
        self.say("Terytorium i gminy pilotażowe…")
        self.territory()
        create_demo_users(self.cur)
        self.template = ensure_default_template(self.cur, "demo")
        self.steps = template_steps(self.cur, *self.template)
        self.pilot()
        self.say("Harmonogram: zdarzenia kroków K1–K10…")
        for p in self.plan:
            self.gmina_events(p)
        self.region_events()
        self.zgloszenia()
        self.say("Instytucje i Partnerskie Zespoły Kooperacji…")
        self.institutions()
        self.pzk()
        self.say("Lokalny koszyk usług…")
        self.services()
        self.say("Sprawy (kody pseudonimowe), plany pracy, sprawozdania miesięczne…")
        _Cases(self).build()
        self.say("WZK: skład, posiedzenia, rekomendacje…")
        self.wzk()
        self.say("Zapis spotkań i zdarzeń…")
        self.meetings.sort(key=lambda m: (m[0].held_on, m[0].terc or "", m[0].case_code or "", m[0].kind))
        ids = reserve_ids(self.cur, "meeting", len(self.meetings))
        rows, attendees = [], []
        for meeting_id, (m, invited) in zip(ids, self.meetings, strict=True):
            rows.append(m.model_copy(update={"meeting_id": meeting_id}))
            attendees += [
                MeetingAttendee(meeting_id=meeting_id, institution_id=i, notified_on=n) for i, n in invited
            ]
        insert_many(self.cur, rows, "demo", audited=False)
        insert_many(self.cur, attendees, "demo", audited=False)
        self.events.sort(key=lambda e: (e.event_on, e.terc or "", e.substep, e.kind))
        insert_many(self.cur, self.events, "demo", audited=False)
        write_settings(self.cur, self.today, self.region_name, self.woj, self.programme_start)

    def meet(
        self,
        kind: str,
        terc: str | None,
        held_on: date,
        invited: list[tuple[int, date | None]],
        **fields: Any,
    ) -> None:
        """A meeting to write later, when the ids are reserved in date order."""
        self.meetings.append((Meeting(kind=kind, terc=terc, held_on=held_on, **fields), invited))

    def notified(self, held_on: date, breach: float = 0.0) -> date:
        if self.rng.random() < breach:
            return held_on - timedelta(days=self.r(1, 4))
        return workday(held_on - timedelta(days=self.r(6, 14)))

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
                "SELECT terc, is_city FROM powiat WHERE left(terc, 2) = ?", [self.woj]
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
        self.own_steps = list(own.itertuples())
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
            contact = add_days(received, contact_after) if contact_after else None
            out.append(
                Zgloszenie(
                    terc=terc,
                    route="rops",
                    received_on=received,
                    has_diagnosis=True,
                    first_contact_on=contact,
                    note=N.CANDIDATE_NOTE,
                )
            )
        out.sort(key=lambda z: z.received_on)
        insert_many(self.cur, out, "demo", audited=False)

    # --- institutions, PZK, services ------------------------------------------------------------

    def institutions(self) -> None:
        pilot = {p["terc"] for p in self.plan}
        pilot_powiaty = {t[:4] for t in pilot}
        rows: list[tuple[str, str, str, str]] = []  # name, sector, level, seat
        for terc, (name, kind, _) in self.gminy.items():
            adj, adj_f, office, police = N.KIND_WORDS[kind]
            words = {
                "Adj": adj,
                "Adj_f": adj_f,
                "urzad": office,
                "police": police,
                "name": name,
                "in_g": self.in_gmina[terc],
                "saint": self.rng.choice(N.SAINTS),
            }
            for sector, pattern in N.GMINA_INSTITUTIONS if terc in pilot else N.GMINA_INSTITUTIONS[:2]:
                if kind == "miejska" and "Wiejskich" in pattern:
                    continue
                rows.append((pattern.format(**words), sector, "gmina", terc))
        for pw, is_city in self.powiaty.items():
            chosen = (
                N.POWIAT_INSTITUTIONS
                if pw in pilot_powiaty
                else [
                    i for i in N.POWIAT_INSTITUTIONS if i[0] in ("pomoc_spoleczna", "rynek_pracy", "policja")
                ][:3]
            )
            for sector, pattern in chosen:
                name = pattern.format(in_s=self.in_seat[pw])
                if is_city:
                    if name.startswith("Starostwo"):
                        continue
                    for a, b in (
                        ("Powiatowe Centrum", "Miejskie Centrum"),
                        ("Powiatowy", "Miejski"),
                        ("Komenda Powiatowa", "Komenda Miejska"),
                    ):
                        name = name.replace(a, b)
                rows.append((name, sector, "powiat", pw))
        for sector, pattern in N.REGION_INSTITUTIONS:
            rows.append(
                (pattern.format(in_s=self.in_seat[self.woj], of_w=self.of_woj), sector, "region", self.woj)
            )
        ids = reserve_ids(self.cur, "institution", len(rows))
        self.inst = [
            Institution(institution_id=i, name=n, sector=s, level=lv, seat_terc=seat)
            for i, (n, s, lv, seat) in zip(ids, rows, strict=True)
        ]
        insert_many(self.cur, self.inst, "demo", audited=False)
        self.sector_of = {i.institution_id: i.sector for i in self.inst}
        self.at_seat: dict[str, list[int]] = {}
        for i in self.inst:
            self.at_seat.setdefault(i.seat_terc, []).append(i.institution_id)
        self.rops = self.at_seat[self.woj][0]

    def local(self, terc: str) -> list[int]:
        """Institutions a gmina's PZK may draw on: its own and its powiat's."""
        return self.at_seat.get(terc, []) + self.at_seat.get(terc[:4], [])

    def pzk(self) -> None:
        """Founding members on the K5.2 date, a few joining later, two leaving."""
        self.members: dict[str, list[list[Any]]] = {}  # terc → [institution, signed, left]
        for p in self.plan:
            terc = p["terc"]
            own, pw = self.at_seat.get(terc, []), self.at_seat.get(terc[:4], [])
            authorities = [own[1], *[i for i in pw if "Starostwo" in self.name(i)][:1], own[0], pw[0]]
            if (terc, "2.2") in self.started:
                held = self.started[(terc, "2.2")]
                self.meet(
                    "authorities",
                    terc,
                    held,
                    [(i, self.notified(held)) for i in authorities],
                    agenda="Prezentacja modelu kooperacji dla władz gminy i powiatu",
                    decisions="Władze gminy i powiatu zdecydowały o wdrażaniu modelu",
                )
            if (terc, "5.1") in self.started:
                held = self.started[(terc, "5.1")]
                invited = self.rng.sample(self.local(terc), min(12, len(self.local(terc))))
                self.meet(
                    "institutions",
                    terc,
                    held,
                    [(i, self.notified(held)) for i in invited],
                    agenda="Spotkanie z instytucjami gminy i powiatu: zasady pracy w modelu",
                    decisions="Instytucje zadeklarowały udział w Partnerskim Zespole Kooperacji",
                )
            founded = self.done.get((terc, "5.2"))
            if founded is None:
                continue
            rest = [i for i in [*self.local(terc), self.rops] if i not in (own[0], pw[0])]
            founding = [own[0], pw[0], *self.rng.sample(rest, self.r(4, 12))]
            members = [[i, founded, None] for i in founding]
            later = [i for i in rest if i not in founding]
            span = (self.today - founded).days
            for i in self.rng.sample(later, min(len(later), self.r(1, 3) if span > 60 else 0)):
                members.append([i, workday(add_days(founded, self.r(30, span - 1))), None])
            self.members[terc] = members
            self.meet(
                "pzk_formal",
                terc,
                founded,
                [(i, self.notified(founded)) for i in founding],
                agenda="Podpisanie porozumienia o współpracy w Partnerskim Zespole Kooperacji",
                decisions="Powołano PZK; przyjęto zasady współpracy i harmonogram spotkań",
            )
        leavers = [m for ms in self.members.values() for m in ms[2:] if (self.today - m[1]).days > 150]
        for m in self.rng.sample(leavers, min(2, len(leavers))):
            m[2] = workday(add_days(m[1], self.r(90, (self.today - m[1]).days - 1)))
        for terc, members in self.members.items():
            held = workday(self.later(members[0][1], 50, 70))
            while held < self.today:
                active = [m[0] for m in members if m[1] <= held and (m[2] is None or m[2] > held)]
                invited = self.rng.sample(active, max(2, len(active) * self.r(6, 9) // 10))
                self.meet(
                    "pzk",
                    terc,
                    held,
                    [(i, self.notified(held)) for i in sorted(invited)],
                    agenda="Przegląd planu pracy PZK; aktualizacja listy aktywności i usług",
                    decisions="Przyjęto informację o realizacji planu pracy",
                )
                held = workday(self.later(held, 55, 75))
        rows = [
            PzkMember(terc=t, institution_id=i, signed_on=s, left_on=left)
            for t, ms in self.members.items()
            for i, s, left in ms
        ]
        insert_many(self.cur, rows, "demo", audited=False)

    def name(self, institution_id: int) -> str:
        return self.inst[institution_id - self.inst[0].institution_id].name

    def services(self) -> None:
        """About 300 services; some problem areas are left uncovered so the gap analysis shows gaps."""
        by_sector: dict[str, list[tuple]] = {}
        for entry in N.SERVICES:
            for sector in entry[4]:
                by_sector.setdefault(sector, []).append(entry)
        scarce = ["bezdomnosc", "po_zakladzie_karnym", "cudzoziemcy", "uzaleznienia"]
        gaps = {t: set(self.rng.sample(scarce, self.r(1, 2))) for t in self.gminy}
        first_powiat = min(self.powiaty)
        gaps.update({pw: set() if pw == first_powiat else set(scarce[:3]) for pw in self.powiaty})
        gaps[self.woj] = set(scarce[:3])
        rows = []
        for inst in self.inst:
            entries = by_sector.get(inst.sector, [])
            n = 1 if inst.level == "gmina" else self.r(1, 2)
            for category, name, groups, areas, _ in self.rng.sample(entries, min(n, len(entries))):
                areas = [a for a in areas if a not in gaps[inst.seat_terc]]
                if not areas:
                    continue
                since = add_days(self.today, -self.r(60, 1100))
                roll, until = self.rng.random(), None
                if roll < 0.1:
                    until = add_days(since, self.r(30, (self.today - since).days - 1))
                elif roll < 0.18:
                    until = add_days(self.today, self.r(30, 400))
                rows.append(
                    Service(
                        institution_id=inst.institution_id,
                        name=name,
                        category=category,
                        target_groups=groups,
                        problem_areas=areas,
                        level=inst.level,
                        area_terc=inst.seat_terc,
                        access=N.ACCESS[inst.sector],
                        contact=self.rng.choice(N.CONTACTS),
                        valid_from=since,
                        valid_to=until,
                    )
                )
        ids = reserve_ids(self.cur, "service", len(rows))
        self.service_rows = [s.model_copy(update={"service_id": i}) for i, s in zip(ids, rows, strict=True)]
        insert_many(self.cur, self.service_rows, "demo", audited=False)

    # --- WZK ---------------------------------------------------------------------------------------

    def wzk(self) -> None:
        region = {i.sector: i.institution_id for i in reversed(self.inst) if i.level == "region"}
        members = [
            WzkMember(full_name=n, role=r, institution_id=region.get(s), from_on=self.wzk_from)
            for n, r, s in N.WZK_MEMBERS
        ]
        change = workday(add_days(self.wzk_from, 200))
        if change < add_days(self.today, -60):
            members[1] = members[1].model_copy(update={"to_on": change})
            n, r, s = N.WZK_SUCCESSOR
            members.append(
                WzkMember(full_name=n, role=r, institution_id=region.get(s), from_on=add_days(change, 1))
            )
        ids = reserve_ids(self.cur, "wzk_member", len(members))
        members = [m.model_copy(update={"member_id": i}) for i, m in zip(ids, members, strict=True)]
        held = [workday(add_days(self.today, -76))]
        while (prev := workday(add_days(held[-1], -self.r(84, 92)))) > add_days(self.wzk_from, 20):
            held.append(prev)
        held.reverse()
        meeting_ids = reserve_ids(self.cur, "meeting", len(held))
        meetings, attendance = [], []
        for mid, on in zip(meeting_ids, held, strict=True):
            meetings.append(
                Meeting(
                    meeting_id=mid,
                    kind="wzk",
                    held_on=on,
                    agenda="Przegląd postępów wdrażania modelu w gminach pilotażowych",
                    decisions="Przyjęto informację o stanie wdrażania i rekomendacje",
                )
            )
            active = [m.member_id for m in members if m.from_on <= on and (m.to_on is None or m.to_on > on)]
            for member_id in sorted(self.rng.sample(active, max(5, len(active) * self.r(7, 10) // 10))):
                attendance.append(WzkAttendance(meeting_id=mid, member_id=member_id))
        statuses = ["done", "done", "in_progress", "in_progress", "open", "open", "rejected", "in_progress"]
        recs = []
        for k, (kind, text) in enumerate(N.RECOMMENDATIONS):
            idx = min(len(held) - 1, k * len(held) // len(N.RECOMMENDATIONS))
            made, status = held[idx], statuses[k]
            status_on = (
                made if status == "open" else workday(self.later(made, 14, max(14, (self.today - made).days)))
            )
            recs.append(
                Recommendation(
                    meeting_id=meeting_ids[idx],
                    made_on=made,
                    kind=kind,
                    text=text,
                    owner=N.OWNERS[k % len(N.OWNERS)],
                    status=status,
                    status_on=max(made, status_on),
                )
            )
        for rows in (members, meetings, attendance, recs):
            insert_many(self.cur, rows, "demo", audited=False)


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


def build_national(
    conn: duckdb.DuckDBPyConnection,
    today: date,
    say: Callable[[str], None],
    synthetic: bool = True,
    gminy_limit: int | None = None,
) -> None:
    raise NotImplementedError
