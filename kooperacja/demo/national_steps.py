"""National demo, first phases: the country's territory, every gmina in the pilot and its steps."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import duckdb

from kooperacja.demo import names as N
from kooperacja.demo.bulk import _bulk, _dates, _days
from kooperacja.demo.common import ANIMATORS, SHIFT_DAYS, SHIFT_FROM, STALL_DAYS, add_days
from kooperacja.model import rules
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import Gmina, PilotGmina, PlanShift, StepEvent, Zgloszenie
from kooperacja.model.vocab import DEFAULT_VARIANT
from kooperacja.programme.harmonogram import template_steps

NATIONAL_KINDS = {"miejska": 302, "wiejska": 1459, "miejsko-wiejska": 718}
# Plans started 4–30 months ago (the real pilot ran 29): enough history for a million reports.
NATIONAL_MONTHS = (4, 30)


class _NationalSteps:
    """The territory, the pilot plans, step events and zgłoszenia of the whole country."""

    template: tuple[int, int]  # set by _NationalDemo

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
        own = list(row_tuples(steps[steps.level == "gmina"]))
        shift_month = int(steps[steps.substep == SHIFT_FROM].start_month.iloc[0])
        shifts, events = [], []
        lags = g.integers(0, 60, (n, len(own), 2))
        for i, row in enumerate(row_tuples(gm)):
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
