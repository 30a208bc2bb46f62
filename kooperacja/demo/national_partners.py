"""National demo: institutions, PZK members and the basket of services of every gmina."""

from __future__ import annotations

from kooperacja.demo import names as N
from kooperacja.demo.bulk import _bulk, _dates
from kooperacja.demo.common import _powiat_locative
from kooperacja.demo.national_steps import _NationalSteps
from kooperacja.model.records import Institution, PzkMember, Service
from kooperacja.warehouse.store import reserve_ids

NATIONAL_GMINY_INSTITUTIONS = 11  # the first ones of N.GMINA_INSTITUTIONS (OPS … ZGKiM)
NATIONAL_POWIAT_INSTITUTIONS = 12


class _NationalPartners(_NationalSteps):
    """Institutions of every gmina, powiat and region; PZK members; services."""

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
