"""National demo: the benchmark, every gmina of the country in the pilot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb

from kooperacja import warehouse
from kooperacja.cases.counts import refresh_case_counts
from kooperacja.demo.bulk import _bulk, _dates
from kooperacja.demo.common import create_demo_users, write_settings
from kooperacja.demo.national_cases import _NationalCases
from kooperacja.demo.network import build_network
from kooperacja.demo.pilot import _PilotDemo
from kooperacja.model.records import Institution, Meeting, MeetingAttendee
from kooperacja.programme.harmonogram import ensure_default_template
from kooperacja.warehouse.store import reserve_ids


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
        say("Sieć współpracy instytucji…")
        build_network(cur, today, national=True)


class _NationalDemo(_NationalCases):
    """The whole country in the pilot, vectorised; dates are int days since 1970 until written."""

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
        refresh_case_counts(self.cur)  # the kept counts of the cases just built
        self.say("Spotkania GGK/ZZK i monitorujące…")
        self.meetings()
        self.say("WZK…")
        self.wzk()
        write_settings(
            self.cur, self.today, "Polska (demo w skali kraju)", self.woj_codes[0], self.programme_start
        )

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
