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
    Record,
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


# --- national scale: the benchmark ---------------------------------------------------------------
# Big tables are built as numpy/pandas frames and inserted with one INSERT … SELECT each; the
# pydantic records validate every 1000th row of those (and every row of the small tables), since
# validating a million reports one by one would take longer than the whole build.

EPOCH = date(1970, 1, 1)
SAMPLE_EVERY = 1000
NATIONAL_KINDS = {"miejska": 302, "wiejska": 1459, "miejsko-wiejska": 718}
NATIONAL_GMINY_INSTITUTIONS = 11  # the first ones of N.GMINA_INSTITUTIONS (OPS … ZGKiM)
NATIONAL_POWIAT_INSTITUTIONS = 12
# Plans started 4–30 months ago (the real pilot ran 29): enough history for a million reports.
NATIONAL_MONTHS = (4, 30)
NATIONAL_CASES = 100_000


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: Any, present: Any = None) -> Any:
    """Int days since 1970 → datetime64[D]; NaT where `present` is False."""
    import numpy as np

    out = np.asarray(days, dtype="int64").astype("datetime64[D]")
    if present is not None:
        out = np.where(present, out, np.datetime64("NaT"))
    return out


def _bulk(cur: duckdb.DuckDBPyConnection, cls: type[Record], frame: Any, every: int = SAMPLE_EVERY) -> int:
    """Insert a frame into cls.TABLE after validating a sample of its rows through the record."""
    import pandas as pd

    if frame.empty:
        return 0
    for row in frame.iloc[::every].to_dict("records"):
        clean = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in row.items()}
        clean = {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in clean.items()}
        cls(**clean)
    cols = ", ".join(warehouse.ident(c) for c in frame.columns)
    cur.register("_national", frame)
    try:
        cur.execute(f"INSERT INTO {warehouse.ident(cls.TABLE)} ({cols}) SELECT {cols} FROM _national")
    finally:
        cur.unregister("_national")
    return len(frame)


def build_national(
    conn: duckdb.DuckDBPyConnection,
    today: date,
    say: Callable[[str], None],
    synthetic: bool = True,
    gminy_limit: int | None = None,
) -> None:
    """Every gmina of the country in the pilot, with ≥50k cases and ≥1M monthly reports.

    `gminy_limit` keeps only that many gminy (for quick tests); the volumes scale with it.
    """
    with warehouse.transaction(conn) as cur:
        _NationalDemo(cur, today, say, synthetic, gminy_limit).build()


class _NationalDemo:
    """The whole country in the pilot, vectorised; dates are int days since 1970 until written."""

    def __init__(
        self,
        cur: duckdb.DuckDBPyConnection,
        today: date,
        say: Callable[[str], None],
        synthetic: bool,
        limit: int | None,
    ):
        import numpy as np

        self.cur, self.today, self.say, self.synthetic, self.limit = cur, today, say, synthetic, limit
        self.np = np
        self.g = np.random.default_rng(42)
        self.rng = random.Random(42)
        self.T = _days(today)

    def build(self) -> None:
        self.say("Terytorium kraju…")
        self.territory()
        create_demo_users(self.cur)
        self.template = ensure_default_template(self.cur, "demo")
        self.say("Gminy w pilotażu i harmonogramy…")
        self.pilot_and_events()
        self.say("Instytucje, PZK i koszyk usług…")
        self.institutions()
        self.pzk()
        self.services()
        self.say("Sprawy, zadania i sprawozdania miesięczne…")
        self.cases()
        self.tasks_and_reports()
        self.basket()
        self.say("Spotkania GGK/ZZK i monitorujące…")
        self.meetings()
        self.say("WZK…")
        self.wzk()
        write_settings(
            self.cur, self.today, "Polska (demo w skali kraju)", self.woj_codes[0], self.programme_start
        )

    # --- territory ---------------------------------------------------------------------------

    def territory(self) -> None:
        import pandas as pd

        if self.synthetic:
            self._synthetic_country()
        frame = self.cur.execute("SELECT terc, name, kind FROM gmina ORDER BY terc").df()
        if self.limit:
            frame = frame.iloc[:: max(1, len(frame) // self.limit)].iloc[: self.limit]
        self.gm = frame.reset_index(drop=True)
        self.woj_codes = sorted(self.gm.terc.str[:2].unique())
        self.powiat_codes = sorted(self.gm.terc.str[:4].unique())
        self.gm["powiat"] = self.gm.terc.str[:4]
        self.gm = self.gm.astype({"terc": str, "name": str, "kind": str, "powiat": str})
        assert isinstance(self.gm, pd.DataFrame)

    def _synthetic_country(self) -> None:
        """16 województwa, 380 powiaty (66 cities), 2,477 gminy with the real kind shares."""
        np, g = self.np, self.g
        wojs = [f"{2 * (i + 1):02d}" for i in range(16)]
        self.cur.executemany(
            "INSERT INTO wojewodztwo VALUES (?, ?)", [[w, n] for w, n in zip(wojs, N.WOJ_NAMES, strict=True)]
        )
        cities = np.bincount(np.arange(66) % 16, minlength=16)
        land = np.bincount(np.arange(314) % 16, minlength=16)
        powiaty, gminy = [], []
        kinds = ["miejska"] * (302 - 66) + ["wiejska"] * 1459 + ["miejsko-wiejska"] * 718
        kinds = list(g.permutation(kinds))
        land_codes = [f"{w}{p + 1:02d}" for i, w in enumerate(wojs) for p in range(land[i])]
        sizes = np.full(len(land_codes), len(kinds) // len(land_codes))
        sizes[: len(kinds) - sizes.sum()] += 1
        start = 0
        for code, size in zip(land_codes, sizes, strict=True):
            root = self.rng.choice(N.NAME_ROOTS)
            powiaty.append([code, f"powiat {root.lower()}ski", False])
            for k, kind in enumerate(kinds[start : start + size], start=1):
                rodz = {"miejska": 1, "wiejska": 2, "miejsko-wiejska": 3}[kind]
                name = self.rng.choice(N.NAME_ROOTS) + self.rng.choice(N.NAME_ENDINGS)
                gminy.append((f"{code}{k:02d}{rodz}", name, kind))
            start += size
        for i, w in enumerate(wojs):
            for c in range(cities[i]):
                name = self.rng.choice(N.NAME_ROOTS) + self.rng.choice(N.NAME_ENDINGS)
                powiaty.append([f"{w}{61 + c}", name, True])
                gminy.append((f"{w}{61 + c}011", name, "miejska"))
        self.cur.executemany("INSERT INTO powiat VALUES (?, ?, ?)", powiaty)
        import pandas as pd

        frame = pd.DataFrame(gminy, columns=["terc", "name", "kind"])
        base = {"miejska": (10.3, 0.8), "wiejska": (8.8, 0.45), "miejsko-wiejska": (9.5, 0.5)}
        mu = frame.kind.map(lambda k: base[k][0]).to_numpy()
        sd = frame.kind.map(lambda k: base[k][1]).to_numpy()
        frame["population"] = np.round(np.exp(g.normal(mu, sd))).astype("int64").clip(1_000, 1_800_000)
        frame["variant_override"] = None
        frame["register_date"] = None
        _bulk(self.cur, Gmina, frame, every=1)

    # --- pilot and harmonogram -----------------------------------------------------------------

    def pilot_and_events(self) -> None:
        import pandas as pd

        np, g, gm = self.np, self.g, self.gm
        n = len(gm)
        months = g.integers(NATIONAL_MONTHS[0], NATIONAL_MONTHS[1] + 1, n)
        starts = [
            add_days(rules.add_months(self.today, -int(m)), -int(k))
            for m, k in zip(months, g.integers(0, 13, n), strict=True)
        ]
        gm["plan_start"] = starts
        gm["profile"] = g.choice(["on_time", "late", "stalled", "shifted"], n, p=[0.7, 0.2, 0.05, 0.05])
        gm["animator"] = [ANIMATORS[i % 2] for i in range(n)]
        gm["variant"] = gm.kind.map(DEFAULT_VARIANT)
        tid, version = self.template
        pilot = pd.DataFrame(
            {
                "terc": gm.terc,
                "joined_on": [add_days(s, -7) for s in starts],
                "animator": gm.animator,
                "variant": gm.variant,
                "template_id": tid,
                "template_version": version,
                "plan_start": starts,
            }
        )
        _bulk(self.cur, PilotGmina, pilot)
        powiat = pilot.assign(terc=pilot.terc.str[:4]).groupby("terc", as_index=False).joined_on.min()
        self.cur.register("_powiat", powiat)
        self.cur.execute("INSERT INTO pilot_powiat SELECT terc, joined_on FROM _powiat")
        self.cur.unregister("_powiat")
        steps = template_steps(self.cur, tid, version)
        own = list(steps[steps.level == "gmina"].itertuples())
        shift_month = int(steps[steps.substep == SHIFT_FROM].start_month.iloc[0])
        shifts, events = [], []
        lags = g.integers(0, 60, (n, len(own), 2))
        for i, row in enumerate(gm.itertuples()):
            late = row.profile in ("late", "stalled")
            cutoff = self.T - STALL_DAYS if row.profile == "stalled" else self.T
            shift = SHIFT_DAYS if row.profile == "shifted" else 0
            if shift:
                at, _ = rules.planned_window(row.plan_start, shift_month, shift_month)
                shifts.append((row.terc, SHIFT_FROM, shift, N.SHIFT_REASON, add_days(at, -5)))
            for j, s in enumerate(own):
                begin, due = rules.planned_window(
                    row.plan_start, s.start_month, s.end_month, shift if s.start_month >= shift_month else 0
                )
                b, d = _days(begin), _days(due)
                st = b + (5 + lags[i, j, 0] % 16 if late else lags[i, j, 0] % 7)
                if b > self.T or st >= cutoff:
                    continue
                fin = max(st, d + 15 + lags[i, j, 1] % 41 if late else d - lags[i, j, 1] % 9)
                events.append((row.terc, s.substep, "started", st, row.animator))
                if fin < cutoff and (late or d < self.T):
                    events.append((row.terc, s.substep, "completed", fin, row.animator))
        ev = pd.DataFrame(events, columns=["terc", "substep", "kind", "event_on", "recorded_by"])
        ev["event_on"] = _dates(ev.event_on)
        ev["evidence"] = np.where(ev.kind == "completed", "Protokół z realizacji podkroku", None)
        ev["note"] = None
        start = _days(self.programme_start_of(starts))
        region = pd.DataFrame(
            [
                (None, sub, kind, start + off, "admin", None, None)
                for sub, kind, off in (
                    ("1.1", "started", -20),
                    ("1.1", "completed", 30),
                    ("1.2", "started", -15),
                    ("1.2", "completed", 35),
                )
            ],
            columns=ev.columns,
        )
        region["event_on"] = _dates(region.event_on)
        self.wzk_from = add_days(self.programme_start, 35)
        _bulk(self.cur, StepEvent, pd.concat([region, ev], ignore_index=True).sort_values("event_on"))
        _bulk(
            self.cur,
            PlanShift,
            pd.DataFrame(shifts, columns=["terc", "substep", "days", "reason", "shifted_on"]),
            every=1,
        )
        self.ev = ev
        done = ev[ev.kind == "completed"].set_index(["terc", "substep"]).event_on
        began = ev[ev.kind == "started"].set_index(["terc", "substep"]).event_on
        for sub, frame, col in (("5.2", done, "pzk_on"), ("7.2", began, "k7_on"), ("2.4", done, "zgl_on")):
            picked = frame.xs(sub, level="substep")
            gm[col] = gm.terc.map(picked).to_numpy().astype("datetime64[D]").astype("int64")
            gm.loc[gm.terc.map(picked).isna().to_numpy(), col] = -1
        self.zgloszenia()

    def programme_start_of(self, starts: list[date]) -> date:
        self.programme_start = min(starts)
        return self.programme_start

    def zgloszenia(self) -> None:
        import pandas as pd

        g, gm = self.g, self.gm[self.gm.zgl_on >= 0]
        n = len(gm)
        received = gm.zgl_on.to_numpy()
        contact = received + g.integers(1, 6, n)
        frame = pd.DataFrame(
            {
                "terc": gm.terc.to_numpy(),
                "route": g.choice(["rops", "self_formed"], n, p=[0.9, 0.1]),
                "received_on": _dates(received),
            }
        )
        self_formed = (frame.route == "self_formed").to_numpy()
        frame["signed_on"] = _dates(received - g.integers(1, 12, n), self_formed)
        for col, p in (("has_diagnosis", 0.8), ("has_resources_card", 0.6), ("has_network_analysis", 0.4)):
            frame[col] = g.random(n) < p
        frame["has_agreement_copy"] = self_formed | (g.random(n) < 0.3)
        frame["first_contact_on"] = _dates(contact, contact <= self.T)
        frame["note"] = None
        _bulk(self.cur, Zgloszenie, frame)

    # --- institutions, PZK, services -----------------------------------------------------------

    def institutions(self) -> None:
        import pandas as pd

        rows = []
        for terc, name, kind in zip(self.gm.terc, self.gm.name, self.gm.kind, strict=True):
            adj, adj_f, office, police = N.KIND_WORDS[kind]
            where = f"w mieście {name}" if kind == "miejska" else f"w gminie {name}"
            words = {"Adj": adj, "Adj_f": adj_f, "urzad": office, "police": police, "in_g": where}
            for sector, pattern in N.GMINA_INSTITUTIONS[:NATIONAL_GMINY_INSTITUTIONS]:
                rows.append((pattern.format(**words), sector, "gmina", terc))
        names = dict(self.cur.execute("SELECT terc, name FROM powiat").fetchall())
        cities = dict(self.cur.execute("SELECT terc, is_city FROM powiat").fetchall())
        for pw in self.powiat_codes:
            where = _powiat_locative(names.get(pw, pw), cities.get(pw, False))
            for sector, pattern in N.POWIAT_INSTITUTIONS[:NATIONAL_POWIAT_INSTITUTIONS]:
                rows.append((pattern.format(in_s=where), sector, "powiat", pw))
        wnames = dict(self.cur.execute("SELECT terc, name FROM wojewodztwo").fetchall())
        for w in self.woj_codes:
            adj = wnames.get(w, w).lower()
            where = f"w województwie {adj[:-1]}m" if adj.endswith("e") else f"({adj})"
            of_w = f"Województwa {adj[:-1].title()}ego" if adj.endswith("e") else f"({adj})"
            for sector, pattern in N.REGION_INSTITUTIONS:
                rows.append((pattern.format(in_s=where, of_w=of_w), sector, "region", w))
        frame = pd.DataFrame(rows, columns=["name", "sector", "level", "seat_terc"])
        frame.insert(0, "institution_id", reserve_ids(self.cur, "institution", len(frame)))
        _bulk(self.cur, Institution, frame)
        self.inst = frame
        seat = frame.groupby("seat_terc").institution_id
        self.first_at = seat.min().to_dict()  # the OPS of a gmina, the PCPR of a powiat, the ROPS

    def pzk(self) -> None:
        import pandas as pd

        by_seat = self.inst.groupby("seat_terc").institution_id.apply(list).to_dict()
        rows = []
        for terc, founded in zip(self.gm.terc, self.gm.pzk_on, strict=True):
            if founded < 0:
                continue
            ops, pcpr = self.first_at[terc], self.first_at[terc[:4]]
            rest = [i for i in by_seat[terc] + by_seat[terc[:4]] if i not in (ops, pcpr)]
            members = [ops, pcpr, *self.rng.sample(rest, self.rng.randint(4, 12))]
            rows += [(terc, i, founded, -1) for i in members]
            span = self.T - founded
            later = [i for i in rest if i not in members]
            for i in self.rng.sample(later, min(len(later), self.rng.randint(0, 2))) if span > 60 else []:
                rows.append((terc, i, founded + self.rng.randint(30, span - 1), -1))
        frame = pd.DataFrame(rows, columns=["terc", "institution_id", "signed_on", "left_on"])
        leaving = (self.g.random(len(frame)) < 0.03) & (self.T - frame.signed_on.to_numpy() > 120)
        left = frame.signed_on.to_numpy() + 60 + self.g.integers(0, 60, len(frame))
        frame["left_on"] = _dates(left, leaving & (left < self.T))
        frame["signed_on"] = _dates(frame.signed_on)
        _bulk(self.cur, PzkMember, frame)
        self.members = frame.merge(self.inst[["institution_id", "sector"]], on="institution_id")

    def services(self) -> None:
        import pandas as pd

        by_sector: dict[str, list[tuple]] = {}
        for entry in N.SERVICES:
            for sector in entry[4]:
                by_sector.setdefault(sector, []).append(entry)
        rows = []
        for inst, sector, level, seat in self.inst[
            ["institution_id", "sector", "level", "seat_terc"]
        ].itertuples(index=False):
            entries = by_sector.get(sector, [])
            count = (1 if self.rng.random() < 0.85 else 0) if level == "gmina" else self.rng.randint(1, 2)
            for category, name, groups, areas, _ in self.rng.sample(entries, min(count, len(entries))):
                rows.append(
                    (
                        inst,
                        name,
                        category,
                        groups,
                        areas,
                        level,
                        seat,
                        N.ACCESS[sector],
                        self.rng.choice(N.CONTACTS),
                    )
                )
        frame = pd.DataFrame(
            rows,
            columns=[
                "institution_id",
                "name",
                "category",
                "target_groups",
                "problem_areas",
                "level",
                "area_terc",
                "access",
                "contact",
            ],
        )
        n = len(frame)
        since = self.T - self.g.integers(60, 1100, n)
        roll = self.g.random(n)
        until = self.np.where(roll < 0.1, since + (self.T - since) // 2, self.T + self.g.integers(30, 400, n))
        frame["valid_from"] = _dates(since)
        frame["valid_to"] = _dates(until, roll < 0.18)
        frame.insert(0, "service_id", reserve_ids(self.cur, "service", n))
        _bulk(self.cur, Service, frame)
        live = frame[roll >= 0.1].assign(since=since[roll >= 0.1])
        self.services_at = {
            k: (v.service_id.to_numpy(), v.since.to_numpy()) for k, v in live.groupby("area_terc")
        }

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

    # --- meetings and the WZK ------------------------------------------------------------------

    def meetings(self) -> None:
        import pandas as pd

        np, g, T = self.np, self.g, self.T
        c = self.case
        planned = c[c.plan >= 0]
        end = np.where(planned.closed >= 0, planned.closed, T)
        quarters = np.maximum((end - planned.plan.to_numpy() - 80) // 82 + 1, 0)
        neglected = (planned.closed.to_numpy() < 0) & (g.random(len(planned)) < 0.15)
        idx = np.repeat(np.arange(len(planned)), quarters)
        k = np.arange(len(idx)) - np.repeat(np.cumsum(quarters) - quarters, quarters)
        held = planned.plan.to_numpy()[idx] + 80 + 82 * k + self.ints(0, 6, len(idx))
        ok = (held <= end[idx]) & ~(neglected[idx] & (held > T - 100))
        monitoring = pd.DataFrame(
            {
                "kind": "monitoring",
                "terc": planned.terc.to_numpy()[idx],
                "case_code": planned.case_code.to_numpy()[idx],
                "held": held,
                "agenda": "Monitoring realizacji planu pracy",
                "decisions": "Plan realizowany",
                "family_present": g.random(len(idx)) < 0.7,
            }
        )
        frames = [monitoring[ok]]
        for col, agenda, decisions, present in (
            ("diag", "Diagnoza sytuacji i ustalenie składu grupy", "Ustalono zakres diagnozy", False),
            ("plan", "Przyjęcie planu pracy z rodziną", "Przyjęto plan pracy i harmonogram zadań", True),
        ):
            rows = c[c[col] >= 0]
            frames.append(
                pd.DataFrame(
                    {
                        "kind": "ggk",
                        "terc": rows.terc,
                        "case_code": rows.case_code,
                        "held": rows[col],
                        "agenda": agenda,
                        "decisions": decisions,
                        "family_present": present,
                    }
                )
            )
        pzk = self.members.groupby("terc", as_index=False).signed_on.min()
        founded = pzk.signed_on.to_numpy().astype("datetime64[D]").astype("int64")
        frames.append(
            pd.DataFrame(
                {
                    "kind": "pzk_formal",
                    "terc": pzk.terc,
                    "case_code": None,
                    "held": founded,
                    "agenda": "Podpisanie porozumienia o współpracy w PZK",
                    "decisions": "Powołano PZK",
                    "family_present": None,
                }
            )
        )
        every = np.maximum((T - founded - 60) // 65 + 1, 0)
        idx = np.repeat(np.arange(len(pzk)), every)
        k = np.arange(len(idx)) - np.repeat(np.cumsum(every) - every, every)
        frames.append(
            pd.DataFrame(
                {
                    "kind": "pzk",
                    "terc": pzk.terc.to_numpy()[idx],
                    "case_code": None,
                    "held": founded[idx] + 60 + 65 * k,
                    "agenda": "Przegląd planu pracy PZK; aktualizacja listy usług",
                    "decisions": "Przyjęto informację o realizacji planu pracy",
                    "family_present": None,
                }
            )
        )
        m = pd.concat(frames, ignore_index=True)
        m = m[m.held <= T].sort_values(["held", "terc", "kind"], kind="stable", ignore_index=True)
        m["meeting_id"] = reserve_ids(self.cur, "meeting", len(m))
        m["held_on"] = _dates(m.held)
        m["family_present"] = m.family_present.astype("boolean")
        _bulk(
            self.cur,
            Meeting,
            m[
                [
                    "meeting_id",
                    "kind",
                    "terc",
                    "case_code",
                    "held_on",
                    "agenda",
                    "decisions",
                    "family_present",
                ]
            ],
        )
        self.attendees(m)

    def attendees(self, m: Any) -> None:
        import pandas as pd

        np, g = self.np, self.g
        team = self.tasks.dropna(subset=["institution_id"])[["case_code", "institution_id"]]
        ops = self.case[["case_code", "terc"]].assign(institution_id=lambda f: f.terc.map(self.first_at))
        team = pd.concat([ops[["case_code", "institution_id"]], team]).drop_duplicates()
        cases = m[m.case_code.notna()][["meeting_id", "case_code", "held"]].merge(team, on="case_code")
        members = self.members.assign(
            signed=lambda f: f.signed_on.to_numpy().astype("datetime64[D]").astype("int64")
        )
        pzk = m[m.kind.isin(["pzk", "pzk_formal"])][["meeting_id", "terc", "held", "kind"]].merge(
            members[["terc", "institution_id", "signed"]], on="terc"
        )
        pzk = pzk[(pzk.signed <= pzk.held) & ((pzk.kind == "pzk_formal") | (g.random(len(pzk)) < 0.8))]
        a = pd.concat(
            [cases[["meeting_id", "institution_id", "held"]], pzk[["meeting_id", "institution_id", "held"]]],
            ignore_index=True,
        )
        a = a.drop_duplicates(["meeting_id", "institution_id"])
        n = len(a)
        breach = g.random(n) < 0.025
        notified = a.held.to_numpy() - np.where(breach, self.ints(1, 4, n), self.ints(6, 14, n))
        frame = pd.DataFrame(
            {
                "meeting_id": a.meeting_id.to_numpy(),
                "institution_id": a.institution_id.astype("int64").to_numpy(),
                "notified_on": _dates(notified),
            }
        )
        _bulk(self.cur, MeetingAttendee, frame)

    def wzk(self) -> None:
        """The WZK of the first województwo's ROPS, as in the pilot demo."""
        region = self.inst[self.inst.seat_terc == self.woj_codes[0]]
        shim = _PilotDemo.__new__(_PilotDemo)
        shim.cur, shim.rng, shim.today, shim.wzk_from = self.cur, self.rng, self.today, self.wzk_from
        shim.inst = [Institution(**r) for r in region.to_dict("records")]
        shim.wzk()
