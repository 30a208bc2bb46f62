"""Effects of the cooperation model for the Zarząd Województwa (K10.1): numbers, PDF and XLSX."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import disclosure, rules
from kooperacja.model import xlsx as export
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.model.vocab import (
    CASE_KINDS,
    CLOSURE_REASONS,
    EVALUATIONS,
    RECOMMENDATION_KINDS,
    RECOMMENDATION_STATUSES,
    SECTORS,
    SERVICE_CATEGORIES,
    VARIANTS,
)
from kooperacja.programme import alerts, queries, together
from kooperacja.report import network_section
from kooperacja.report.region_map import RegionMap, region_map
from kooperacja.warehouse import get_setting


@dataclass
class EffectsReport:
    """The report's tables, with Polish headers; the first column of each names its rows."""

    region: str
    today: date
    scope: str  # "Województwo …" or "Gmina … (powiat …)"
    terc: str | None
    suppressed: bool
    headline: dict[str, int | str] = field(default_factory=dict)
    pilot: pd.DataFrame = field(default_factory=pd.DataFrame)
    steps: pd.DataFrame = field(default_factory=pd.DataFrame)
    gminy: pd.DataFrame = field(default_factory=pd.DataFrame)
    pzk: pd.DataFrame = field(default_factory=pd.DataFrame)
    cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    closures: pd.DataFrame = field(default_factory=pd.DataFrame)
    evaluation: pd.DataFrame = field(default_factory=pd.DataFrame)
    baskets: pd.DataFrame = field(default_factory=pd.DataFrame)
    recommendations: pd.DataFrame = field(default_factory=pd.DataFrame)
    breaches: pd.DataFrame = field(default_factory=pd.DataFrame)  # recorded breaches per rule
    network: pd.DataFrame = field(default_factory=pd.DataFrame)  # kooperacja.report.network_section
    # The gminy summed per województwo (per powiat when all are in one): the PDF's summary of a
    # large region; not a section of its own (the page and the XLSX list every gmina).
    areas: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The region's gminy coloured by progress, for the PDF's map (None: one gmina, or no boundaries).
    region_map: RegionMap | None = None

    @property
    def title(self) -> str:
        return f"Efekty modelu kooperacji — {self.region}, stan na {self.today:%d.%m.%Y}"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Section title → table, in the order of the report (kooperacja.report.sections)."""
        from kooperacja.report import sections

        return {section.title: section.table(self) for section in sections.sections()}


PILOT = """
SELECT p.variant, count(*) AS gminy, count(DISTINCT left(p.terc, 4)) AS powiaty
FROM pilot_gmina p WHERE p.joined_on <= $today AND ($terc IS NULL OR p.terc = $terc)
GROUP BY ALL
"""
POWIATY = """
SELECT count(DISTINCT left(terc, 4)) FROM pilot_gmina
WHERE joined_on <= $today AND ($terc IS NULL OR terc = $terc)
"""
PZK_SECTORS = f"""
SELECT i.sector, count(DISTINCT i.institution_id) AS institutions, count(*) AS memberships
FROM pzk_member m JOIN institution i USING (institution_id) JOIN pilot_gmina p ON p.terc = m.terc
WHERE {rules.PZK_MEMBER_SQL.format(m="m", on="$today")}
  AND ($terc IS NULL OR m.terc = $terc)
GROUP BY ALL ORDER BY institutions DESC, i.sector
"""
CASES = """
SELECT kind, count(*) AS referred, count(plan_on) FILTER (WHERE plan_on <= $today) AS planned,
       count(*) FILTER (WHERE closed_on <= $today) AS closed
FROM case_file WHERE referred_on <= $today AND ($terc IS NULL OR terc = $terc)
GROUP BY ALL
"""
CLOSURES = """
SELECT closure_reason AS code, count(*) AS n FROM case_file
WHERE closed_on <= $today AND ($terc IS NULL OR terc = $terc) GROUP BY ALL
"""
EVALUATION = """
SELECT evaluation AS code, count(*) AS n FROM case_file
WHERE evaluated_on <= $today AND evaluation IS NOT NULL AND ($terc IS NULL OR terc = $terc)
GROUP BY ALL
"""
BASKETS = """
SELECT s.category, count(DISTINCT s.service_id) AS services, count(DISTINCT cs.case_code) AS cases
FROM case_service cs JOIN service s USING (service_id) JOIN case_file c USING (case_code)
WHERE cs.from_on <= $today AND ($terc IS NULL OR c.terc = $terc)
GROUP BY ALL ORDER BY cases DESC, s.category
"""
RECOMMENDATIONS = """
SELECT kind, status, count(*) AS n FROM recommendation WHERE made_on <= $today GROUP BY ALL
"""
SCOPE = """
SELECT g.name, coalesce(pw.name, left(g.terc, 4)) AS powiat
FROM pilot_gmina p JOIN gmina g USING (terc) LEFT JOIN powiat pw ON pw.terc = left(g.terc, 4)
WHERE p.terc = ?
"""


def _by_code(frame: pd.DataFrame, labels: dict[str, str], head: str, count: str) -> pd.DataFrame:
    """Counts for every code of a vocabulary (zero where none), in the vocabulary's order."""
    found = dict(zip(frame.code, frame.n, strict=True))
    return pd.DataFrame({head: list(labels.values()), count: [int(found.get(c, 0)) for c in labels]})


STEP_HEADS = {
    "step": "Krok",
    "due": "W planie do dziś",
    "done": "Zrobione",
    "on_time": "W tym w terminie",
    "overdue": "Po terminie",
}


def _steps(found: pd.DataFrame) -> pd.DataFrame:
    """Per step, over the pilot gminy's own sub-steps: due by today, done, done on time, overdue
    (the steps of `queries.progress_and_steps`)."""
    return found[list(STEP_HEADS)].rename(columns=STEP_HEADS)


WOJEWODZTWA = "SELECT terc, name FROM wojewodztwo"


def _gminy(
    conn: duckdb.DuckDBPyConnection, today: date, terc: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(a row per gmina, the same summed per województwo or, within one, per powiat, the progress,
    the steps' table), the plan rated once for the gminy and the steps."""
    pilot = queries.list_pilot_gminy(conn, terc)
    rated, steps = queries.progress_and_steps(conn.cursor(), today, terc)
    progress = pilot[["terc"]].merge(rated, on="terc").merge(pilot, on="terc")
    gminy = pd.DataFrame(
        {
            "Gmina": progress.name,
            "Powiat": progress.powiat,
            "Wariant": progress.variant.map(VARIANTS),
            "Bieżący podkrok": progress.current_step.fillna("—"),
            "Podkroki zrobione": progress.done,
            "W planie do dziś": progress.planned.astype(int),
            "Opóźnienie (dni)": progress.delay_days,
            "Stan": progress.progress_state.map(queries.PROGRESS_LABELS),
        }
    )
    return gminy, _areas(conn, progress, gminy), progress.drop(columns="planned"), _steps(steps)


def _areas(conn: duckdb.DuckDBPyConnection, progress: pd.DataFrame, gminy: pd.DataFrame) -> pd.DataFrame:
    if progress.terc.str[:2].nunique() > 1:
        names = dict(conn.cursor().execute(WOJEWODZTWA).fetchall())
        head, code = "Województwo", progress.terc.str[:2]
    else:
        names = dict(zip(progress.powiat_terc, progress.powiat, strict=True))
        head, code = "Powiat", progress.terc.str[:4]
    state = progress.progress_state
    frame = pd.DataFrame(
        {
            "code": code.to_numpy(),
            "Gminy": 1,
            "W terminie": (state == "on_time").to_numpy(),
            "Opóźnione": (state == "late").to_numpy(),
            "Zatrzymane": (state == "stalled").to_numpy(),
            "Podkroki zrobione": gminy["Podkroki zrobione"].to_numpy(),
            "W planie do dziś": gminy["W planie do dziś"].to_numpy(),
        }
    )
    out = frame.groupby("code", sort=True).sum().astype(int).reset_index()  # TERC order
    out.insert(0, head, out.pop("code").map(lambda t: names.get(t, t)))
    return out


HEADLINE_CASES = ("Sprawy zgłoszone", "Sprawy zakończone", "Cele osiągnięte w pełni")
CASE_COUNTS = ["Zgłoszone", "Z planem pracy", "Zakończone"]


def _disclosed(
    cases: pd.DataFrame,
    closures: pd.DataFrame,
    evaluation: pd.DataFrame,
    baskets: pd.DataFrame,
    headline: dict[str, int | str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, int | str]]:
    """The case counts for the WZK and the Zarząd: "<5" and their complements "x", together.

    The headline figures are sums of the tables: referred and closed = Σ kinds, closed = Σ
    closure reasons, goals achieved = the first row of the evaluation (see `disclosure`).
    """
    frames = {
        "cases": cases,
        "closures": closures,
        "evaluation": evaluation,
        "baskets": baskets,
        "headline": pd.DataFrame({k: [headline[k]] for k in HEADLINE_CASES}),
    }
    counts = {
        "cases": CASE_COUNTS,
        "closures": ["Sprawy"],
        "evaluation": ["Sprawy"],
        "baskets": ["Sprawy"],
        "headline": list(HEADLINE_CASES),
    }

    def column(name: str, col: str) -> list[tuple[str, int, str]]:
        return [(name, i, col) for i in range(len(frames[name]))]

    relations = [
        disclosure.total(column("cases", "Zgłoszone"), ("headline", 0, HEADLINE_CASES[0])),
        disclosure.total(column("cases", "Zakończone"), ("headline", 0, HEADLINE_CASES[1])),
        disclosure.total(column("closures", "Sprawy"), ("headline", 0, HEADLINE_CASES[1])),
        disclosure.total(column("evaluation", "Sprawy")[:1], ("headline", 0, HEADLINE_CASES[2])),
    ]
    out = disclosure.protect_frames(frames, counts, relations)
    shown = {k: out["headline"][k].tolist()[0] for k in HEADLINE_CASES}  # plain ints for the XLSX
    return (
        out["cases"],
        out["closures"],
        out["evaluation"],
        out["baskets"],
        {**headline, **{k: shown[k] for k in HEADLINE_CASES}},
    )


def case_figures(
    cur: duckdb.DuckDBPyConnection, today: date, terc: str | None, hidden: bool, baskets: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, int | str]]:
    """The report's case tables (kinds, closures, evaluation, baskets) and their headline figures
    (HEADLINE_CASES), disclosed together for the WZK and the Zarząd (`hidden`). The WZK slides show
    these without the rest of the report: without the baskets (`baskets=False`: an empty table; no
    relation ties its counts to the others, so their disclosure is the same either way)."""
    p = {"today": today, "terc": terc}
    cases_raw = cur.execute(CASES, p).df().set_index("kind")
    cases = pd.DataFrame(
        {
            "Rodzaj": list(CASE_KINDS.values()),
            **{
                head: [int(cases_raw[col].get(k, 0)) for k in CASE_KINDS]
                for head, col in [
                    ("Zgłoszone", "referred"),
                    ("Z planem pracy", "planned"),
                    ("Zakończone", "closed"),
                ]
            },
        }
    )
    closures = _by_code(cur.execute(CLOSURES, p).df(), CLOSURE_REASONS, "Powód zakończenia", "Sprawy")
    evaluation = _by_code(cur.execute(EVALUATION, p).df(), EVALUATIONS, "Ocena", "Sprawy")
    baskets_raw = cur.execute(BASKETS if baskets else f"SELECT * FROM ({BASKETS}) WHERE false", p).df()
    basket_table = pd.DataFrame(
        {
            "Kategoria usług": baskets_raw.category.map(lambda c: SERVICE_CATEGORIES.get(c, c)),
            "Usługi": baskets_raw.services.astype(int),
            "Sprawy": baskets_raw.cases.astype(int),
        }
    )
    headline: dict[str, int | str] = {
        "Sprawy zgłoszone": int(cases["Zgłoszone"].sum()),
        "Sprawy zakończone": int(cases["Zakończone"].sum()),
        "Cele osiągnięte w pełni": int(evaluation["Sprawy"].iloc[0]),
    }
    if hidden:
        return _disclosed(cases, closures, evaluation, basket_table, headline)
    return cases, closures, evaluation, basket_table, headline


# The GGK/ZZK notice breaches counted where they are found (the alerts' own rows): the report shows a
# count per rule, and the breach list made each of the ~8,000 national breaches' texts and links.
NOTICE_BREACHES = f"""
SELECT count(*) FROM ({alerts.NOTICES_BREACHED}) WHERE $terc IS NULL OR terc = $terc
"""
NOTICE_RULE = "ggk_notice"


def breach_counts(cur: duckdb.DuckDBPyConnection, today: date, terc: str | None) -> pd.DataFrame:
    """`alerts.breach_counts(alerts.list_breaches(…))` without listing the notice breaches one by
    one (the zgłoszenia's two rules are a few rows: their own parts are counted)."""
    notices = cur.execute(NOTICE_BREACHES, {"today": today, "terc": terc}).fetchall()[0][0]
    rules_found = [NOTICE_RULE] * int(notices)
    for part in (alerts.self_formed_breaches(cur), alerts.contact_breaches(cur)):
        if len(part):
            rules_found += list(part.rule[part.terc == terc] if terc is not None else part.rule)
    return alerts.breach_counts(pd.DataFrame({"rule": pd.Series(rules_found, dtype=object)}))


def _small_tables(
    cur: duckdb.DuckDBPyConnection, p: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """The pilot per variant, the PZK per sector, the recommendations per kind and status, and
    the powiaty of the pilot: small reads, read together."""
    today = p["today"]
    pilot_raw = cur.execute(PILOT, p).df().set_index("variant")
    pilot = pd.DataFrame(
        {
            "Wariant modelu": list(VARIANTS.values()),
            "Gminy": [int(pilot_raw.gminy.get(v, 0)) for v in VARIANTS],
            "Powiaty": [int(pilot_raw.powiaty.get(v, 0)) for v in VARIANTS],
        }
    )
    pzk_raw = cur.execute(PZK_SECTORS, p).df()
    pzk = pd.DataFrame(
        {
            "Sektor": pzk_raw.sector.map(lambda s: SECTORS.get(s, s)),
            "Instytucje": pzk_raw.institutions.astype(int),
            "Członkostwa w PZK": pzk_raw.memberships.astype(int),
        }
    )
    recs_raw = cur.execute(RECOMMENDATIONS, {"today": today}).df()
    recommendations = pd.DataFrame(
        {
            "Rodzaj": list(RECOMMENDATION_KINDS.values()),
            **{
                label: [
                    int(recs_raw[(recs_raw.kind == k) & (recs_raw.status == s)].n.sum())
                    for k in RECOMMENDATION_KINDS
                ]
                for s, label in RECOMMENDATION_STATUSES.items()
            },
        }
    )
    powiaty = int(cur.execute(POWIATY, p).fetchall()[0][0])
    return pilot, pzk, recommendations, powiaty


def effects(
    conn: duckdb.DuckDBPyConnection, actor: Actor, today: date, terc: str | None = None
) -> EffectsReport:
    """The K10.1 report for the region or one pilot gmina, as `actor` may see it."""
    cur = conn.cursor()
    p = {"today": today, "terc": terc}
    region = get_setting(conn, "region_name") or "województwo"
    scope = region
    if terc is not None:
        found = cur.execute(SCOPE, [terc]).fetchall()
        if not found:
            raise InvalidInput([f"Gmina: {terc} nie uczestniczy w pilotażu"])
        scope = f"Gmina {found[0][0]} ({found[0][1]})"
    hidden = disclosure.hides(actor)
    # the heavy reads first (the plan rated, the baskets, the notice breaches), two at a time
    (gminy, areas, progress, steps), case_parts, breaches, network, small = together.read_together(
        conn,
        [
            lambda c: _gminy(c, today, terc),
            lambda c: case_figures(c, today, terc, hidden),
            lambda c: breach_counts(c, today, terc),
            lambda c: network_section.load(c, terc),
            lambda c: _small_tables(c, p),
        ],
    )
    pilot, pzk, recommendations, powiaty = small
    cases, closures, evaluation, baskets, case_headline = case_parts
    headline: dict[str, int | str] = {
        "Gminy w pilotażu": int(pilot["Gminy"].sum()),
        "Powiaty": powiaty,
        "Instytucje w PZK": int(pzk["Instytucje"].sum()),
        **case_headline,
        "Rekomendacje zrealizowane": int(recommendations[RECOMMENDATION_STATUSES["done"]].sum()),
    }
    if hidden:
        breaches = disclosure.suppress_frame(breaches, ["Naruszenia"])  # no total shown: no complement
    return EffectsReport(
        region=region,
        today=today,
        scope=scope,
        terc=terc,
        suppressed=hidden,
        headline=headline,
        pilot=pilot,
        steps=steps,
        gminy=gminy,
        pzk=pzk,
        cases=cases,
        closures=closures,
        evaluation=evaluation,
        baskets=baskets,
        recommendations=recommendations,
        breaches=breaches,
        network=network,
        areas=areas,
        region_map=region_map(conn, progress) if terc is None else None,
    )


def to_xlsx(report: EffectsReport) -> bytes:
    """One sheet per table with the underlying numbers, after a sheet naming the report."""
    note = [("Uwaga", disclosure.NOTE + ".")] if report.suppressed else []
    rows = [("Raport", report.title), ("Zakres", report.scope), ("Stan na", report.today)]
    rows += [*report.headline.items(), *note]
    about = pd.DataFrame(rows, columns=["Pozycja", "Wartość"])
    sheets = {"Raport": about} | {name[:31]: df for name, df in report.tables().items()}
    return export.to_xlsx(sheets)


def to_pdf(report: EffectsReport) -> bytes:
    """The report laid out for A4 (see kooperacja.report.pdf)."""
    from kooperacja.report.pdf import render

    return render(report)
