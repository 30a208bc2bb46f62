"""Pilot demo: institutions, the Partnerskie Zespoły Kooperacji and the meetings they hold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from kooperacja.demo import names as N
from kooperacja.demo.common import add_days, workday
from kooperacja.demo.pilot_steps import _PilotSteps
from kooperacja.model.records import Institution, Meeting, PzkMember
from kooperacja.warehouse.store import insert_many, reserve_ids


class _PilotPartners(_PilotSteps):
    """Institutions of the region, each pilot gmina's PZK, and meetings to write in date order."""

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
            self.at_seat.setdefault(i.seat_terc, []).append(cast(int, i.institution_id))  # inserted: set
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
            members: list[list[Any]] = [[i, founded, None] for i in founding]
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
        return self.inst[institution_id - cast(int, self.inst[0].institution_id)].name
