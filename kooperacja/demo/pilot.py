"""Pilot demo: the builder of one region's pilot, its local basket of services and the WZK."""

from __future__ import annotations

from typing import cast

from kooperacja.demo import names as N
from kooperacja.demo.cases import _Cases
from kooperacja.demo.common import add_days, create_demo_users, workday, write_settings
from kooperacja.demo.pilot_partners import _PilotPartners
from kooperacja.model.records import (
    Meeting,
    MeetingAttendee,
    Recommendation,
    Service,
    WzkAttendance,
    WzkMember,
)
from kooperacja.programme.harmonogram import ensure_default_template, template_steps
from kooperacja.warehouse.store import insert_many, reserve_ids


class _PilotDemo(_PilotPartners):
    """One region's pilot, table by table; each phase keeps what the next one links to."""

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
            active = [
                cast(int, m.member_id)
                for m in members
                if m.from_on <= on and (m.to_on is None or m.to_on > on)
            ]
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
