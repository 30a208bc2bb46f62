"""The attacker of the hardening issue (finding 6): every subtraction against what the WZK gets.

For each table the WZK and the Zarząd receive (the Sprawy summary, its completeness XLSX, the
effects report and its XLSX, the meeting slides, the overview tiles and table), on the demo
warehouse and on a crafted one where small counts surely sit next to exact totals, the attacker
knows the sums the tables obey (a total of a column, "reached stage k" = the cases at stages
k, k+1, …, a rate = received / expected) and tries: every relation with one hidden cell left,
every difference of two relations, rate × base, and bounds ("<5" is 1–4, "x" at least 5).
A "<5" it computes exactly (and rightly, checked against the admin's figures) is a recovery.

This attacker is written here, apart from `disclosure.recover`, which `protect` uses.
"""

from __future__ import annotations

import io
import math
import shutil
from datetime import date
from itertools import combinations

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from kooperacja import wzk
from kooperacja.cases import stats as case_stats
from kooperacja.cases.core import STAGES
from kooperacja.model import disclosure
from kooperacja.model.access import Actor
from kooperacja.programme import dashboard, queries
from kooperacja.report import effects as report
from kooperacja.report import sections
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
WZK = Actor("wzk1", "wzk")
ZARZAD = Actor("zarzad1", "zarzad")
ADMIN = Actor("admin", "admin")
LOW, HIGH = 1, disclosure.THRESHOLD - 1

Key = tuple
Relation = dict  # key → coefficient; Σ coefficient·value = 0


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    return None


def attack(
    shown: dict[Key, object],
    truth: dict[Key, int],
    relations: list[Relation],
    rates: list[tuple[object, Key, Key]] = (),
) -> dict[Key, int]:
    """The "<5" cells of `shown` computed exactly from the shown figures (and equal to `truth`)."""
    beliefs = [r for r in relations if sum(c * truth[k] for k, c in r.items()) == 0 and r]
    derived = list(beliefs)
    for a, b in combinations(beliefs, 2):  # every subtraction of two sums
        diff = {k: a.get(k, 0) - b.get(k, 0) for k in {*a, *b}}
        derived.append({k: c for k, c in diff.items() if c})
    known = {k: v for k, v in ((k, _number(v)) for k, v in shown.items()) if v is not None}
    lo = {k: (LOW if v == disclosure.LABEL else HIGH + 1) for k, v in shown.items() if k not in known}
    hi = {k: (HIGH if v == disclosure.LABEL else math.inf) for k in lo for v in [shown[k]]}

    def learn(k: Key, value: float) -> bool:
        if k in known or abs(value - round(value)) > 1e-6:
            return False
        known[k] = float(round(value))
        return True

    changed = True
    while changed:
        changed = False
        for r in derived:
            unknown = [k for k in r if k not in known]
            rest = sum(c * known[k] for k, c in r.items() if k in known)
            if len(unknown) == 1:
                changed |= learn(unknown[0], -rest / r[unknown[0]])
                continue
            for k in unknown:  # bounds of one hidden cell from the bounds of the others
                c = r[k]
                others = [(o, r[o]) for o in unknown if o != k]
                top = -rest - sum(m * (lo[o] if m > 0 else hi[o]) for o, m in others)
                bottom = -rest - sum(m * (hi[o] if m > 0 else lo[o]) for o, m in others)
                new = sorted((top / c, bottom / c))
                if math.isfinite(new[0]) and math.ceil(new[0] - 1e-9) > lo[k]:
                    lo[k], changed = math.ceil(new[0] - 1e-9), True
                if math.isfinite(new[1]) and math.floor(new[1] + 1e-9) < hi[k]:
                    hi[k], changed = math.floor(new[1] + 1e-9), True
                if lo[k] == hi[k]:
                    changed |= learn(k, lo[k])
        for rate, num, base in rates:  # a rate with a known base gives its numerator, and back
            rate = _number(rate)
            if rate is None:
                continue
            if base in known and num not in known:
                changed |= learn(num, round(rate * known[base]))
            elif num in known and base not in known and rate > 0:
                changed |= learn(base, round(known[num] / rate))
    return {
        k: int(known[k])
        for k, v in shown.items()
        if v == disclosure.LABEL and k in known and int(known[k]) == truth[k]
    }


def _cells(name: str, df: pd.DataFrame, columns) -> dict[Key, object]:
    return {(name, i, c): v for c in columns for i, v in enumerate(df[c].astype(object))}


def _sum(parts: list[Key], whole: Key | list[Key], sign: int = 1) -> Relation:
    out: Relation = {p: 1 for p in parts}
    for w in whole if isinstance(whole, list) else [whole]:
        out[w] = out.get(w, 0) - sign
    return out


def _column(name: str, df: pd.DataFrame, col: str) -> list[Key]:
    return [(name, i, col) for i in range(len(df))]


# --- the screens -----------------------------------------------------------------------------

SUMMARY_COUNTS = {
    "funnel": ["cases", "reached"],
    "closures": ["cases"],
    "time_to_plan": ["cases"],
    "completeness": ["expected", "received"],
    "overdue_meetings": ["open_cases", "overdue"],
    "notice_breaches": ["meetings", "invitations", "breaches"],
    "task_sectors": ["tasks", "open_tasks", "cases"],
}


def _summary_sheet(tables: dict[str, pd.DataFrame]):
    shown: dict[Key, object] = {}
    for name, cols in SUMMARY_COUNTS.items():
        shown |= _cells(name, tables[name], cols)
    f = tables["funnel"]
    n = len(f)
    reached = {s: ("funnel", STAGES.index(s), "reached") for s in STAGES}
    relations = [
        _sum([("funnel", j, "cases") for j in range(k, n)], ("funnel", k, "reached")) for k in range(n)
    ]
    relations.append(_sum(_column("closures", tables["closures"], "cases"), reached["closed"]))
    relations.append(_sum(_column("time_to_plan", tables["time_to_plan"], "cases"), reached["plan"]))
    open_planned = _sum(
        _column("overdue_meetings", tables["overdue_meetings"], "open_cases"), reached["plan"]
    )
    open_planned[reached["closed"]] = 1
    relations.append(open_planned)
    c = tables["completeness"]
    rates = [
        (r, ("completeness", i, "received"), ("completeness", i, "expected")) for i, r in enumerate(c.rate)
    ]
    return shown, relations, rates


def summary_attack(conn, actor, terc) -> dict[Key, int]:
    shown, relations, rates = _summary_sheet(case_stats.summary(conn, actor, TODAY, terc))
    truth = {k: int(v) for k, v in _summary_sheet(case_stats.summary(conn, ADMIN, TODAY, terc))[0].items()}
    return attack(shown, truth, relations, rates)


def _xlsx_sheets(data: bytes) -> dict[str, pd.DataFrame]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    out = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        out[ws.title] = pd.DataFrame(rows[1:], columns=rows[0])
    return out


def completeness_xlsx_attack(conn, actor, terc) -> dict[Key, int]:
    def sheet(who):
        data = case_stats.completeness_xlsx(case_stats.summary(conn, who, TODAY, terc)["completeness"])
        return _xlsx_sheets(data)["kompletnosc"]

    shown_df, true_df = sheet(actor), sheet(ADMIN)
    cols = ["Oczekiwane", "Otrzymane"]
    shown, truth = _cells("x", shown_df, cols), {k: int(v) for k, v in _cells("x", true_df, cols).items()}
    rates = [(r, ("x", i, "Otrzymane"), ("x", i, "Oczekiwane")) for i, r in enumerate(shown_df["Odsetek"])]
    return attack(shown, truth, [], rates)


HEADLINE = ["Sprawy zgłoszone", "Sprawy zakończone", "Cele osiągnięte w pełni"]


def _effects_sheet(tables: dict[str, pd.DataFrame], headline: dict[str, object]):
    """Cells and the sums of the report: headline = Σ kinds; closed = Σ reasons; goals = row 1."""
    counts = {
        "cases": ["Zgłoszone", "Z planem pracy", "Zakończone"],
        "closures": ["Sprawy"],
        "evaluation": ["Sprawy"],
        "baskets": ["Sprawy"],
    }
    shown: dict[Key, object] = {("headline", 0, k): headline[k] for k in HEADLINE}
    for name, cols in counts.items():
        shown |= _cells(name, tables[name], cols)
    head = {k: ("headline", 0, k) for k in HEADLINE}
    relations = [
        _sum(_column("cases", tables["cases"], "Zgłoszone"), head["Sprawy zgłoszone"]),
        _sum(_column("cases", tables["cases"], "Zakończone"), head["Sprawy zakończone"]),
        _sum(_column("closures", tables["closures"], "Sprawy"), head["Sprawy zakończone"]),
        _sum(
            _column("closures", tables["closures"], "Sprawy"), _column("cases", tables["cases"], "Zakończone")
        ),
        _sum([("evaluation", 0, "Sprawy")], head["Cele osiągnięte w pełni"]),
    ]
    return shown, relations


def _effects_tables(r: report.EffectsReport) -> dict[str, pd.DataFrame]:
    return {"cases": r.cases, "closures": r.closures, "evaluation": r.evaluation, "baskets": r.baskets}


def effects_attack(conn, actor, terc) -> dict[Key, int]:
    seen, true = report.effects(conn, actor, TODAY, terc), report.effects(conn, ADMIN, TODAY, terc)
    shown, relations = _effects_sheet(_effects_tables(seen), seen.headline)
    truth = {k: int(v) for k, v in _effects_sheet(_effects_tables(true), true.headline)[0].items()}
    return attack(shown, truth, relations)


def _effects_xlsx(r: report.EffectsReport):
    sheets = _xlsx_sheets(report.to_xlsx(r))
    titles = {s.key: s.title[:31] for s in sections.sections()}
    about = sheets["Raport"]
    headline = dict(zip(about["Pozycja"], about["Wartość"], strict=True))
    tables = {key: sheets[titles[key]] for key in ("cases", "closures", "evaluation", "baskets")}
    return _effects_sheet(tables, headline)


def effects_xlsx_attack(conn, actor, terc) -> dict[Key, int]:
    shown, relations = _effects_xlsx(report.effects(conn, actor, TODAY, terc))
    truth = {k: int(v) for k, v in _effects_xlsx(report.effects(conn, ADMIN, TODAY, terc))[0].items()}
    return attack(shown, truth, relations)


def _slide_sheet(slides: list[wzk.Slide]):
    cases = next(s for s in slides if s.title == "Sprawy osób i rodzin")
    shown: dict[Key, object] = {}
    for label, value in cases.numbers:
        shown[("number", label)] = int(value) if value.isdigit() else value
    for i, line in enumerate(cases.lines):
        value = line.rsplit(": ", 1)[1]
        shown[("reason", i)] = int(value) if value.isdigit() else value
    reasons = [k for k in shown if k[0] == "reason"]
    return shown, [_sum(reasons, ("number", "zakończone"))]


def slides_attack(conn, actor, terc=None) -> dict[Key, int]:
    shown, relations = _slide_sheet(wzk.meeting_slides(conn, actor, TODAY))
    truth = {k: int(v) for k, v in _slide_sheet(wzk.meeting_slides(conn, ADMIN, TODAY))[0].items()}
    return attack(shown, truth, relations)


def _overview_sheet(conn, actor):
    overview = queries.region_overview(conn, TODAY)
    alerts = pd.DataFrame({"terc": pd.Series([], dtype=str), "days_over": pd.Series([], dtype=int)})
    kpis, rows = dashboard.disclosed(
        dashboard.kpis(overview, alerts), dashboard.overview_table(overview, alerts), actor
    )
    shown: dict[Key, object] = {}
    relations = []
    for col in ("cases_open", "cases_closed"):
        tile = getattr(kpis, col)
        shown[("tile", col)] = int(tile) if str(tile).isdigit() else tile
        for i, v in enumerate(rows[col]):
            shown[("row", i, col)] = int(v) if str(v).isdigit() else v
        relations.append(_sum([("row", i, col) for i in range(len(rows))], ("tile", col)))
    return shown, relations


def overview_attack(conn, actor, terc=None) -> dict[Key, int]:
    shown, relations = _overview_sheet(conn, actor)
    truth = {k: int(v) for k, v in _overview_sheet(conn, ADMIN)[0].items()}
    return attack(shown, truth, relations)


SCREENS = {
    "sprawy": summary_attack,
    "sprawy_xlsx": completeness_xlsx_attack,
    "raport": effects_attack,
    "raport_xlsx": effects_xlsx_attack,
}
REGION_SCREENS = {"slajdy": slides_attack, "przeglad": overview_attack}


def all_recoveries(path) -> dict[str, dict[Key, int]]:
    """screen (scope) → the recovered "<5" cells, for the WZK, over the region and every gmina."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        gminy = list(case_stats.pilot_gminy(conn).terc)
        found = {}
        for name, run in SCREENS.items():
            for terc in [None, *gminy]:
                found[f"{name} ({terc or 'region'})"] = run(conn, WZK, terc)
        for name, run in REGION_SCREENS.items():
            found[name] = run(conn, WZK)
        return {k: v for k, v in found.items() if v}
    finally:
        conn.close()


# --- the crafted warehouse: small counts next to exact totals everywhere --------------------

CRAFT = [
    # closed cases: all "resigned" but one "other", so Σ reasons − the big one = 1
    "UPDATE case_file SET closure_reason = 'resigned' WHERE closed_on IS NOT NULL",
    """UPDATE case_file SET closure_reason = 'other'
       WHERE case_code = (SELECT min(case_code) FROM case_file WHERE closed_on IS NOT NULL)""",
    # two groups only, the rest families: Σ kinds − persons − families = 2
    "UPDATE case_file SET kind = 'rodzina' WHERE kind = 'grupa'",
    """UPDATE case_file SET kind = 'grupa'
       WHERE case_code IN (SELECT case_code FROM case_file WHERE kind = 'rodzina'
                           ORDER BY case_code LIMIT 2)""",
    # all closed cases in one gmina but the first one: a gmina with 1 closed case, the tile exact
    """UPDATE case_file SET terc = (SELECT terc FROM case_file WHERE closed_on IS NOT NULL
                                    ORDER BY case_code DESC LIMIT 1)
       WHERE closed_on IS NOT NULL
         AND case_code <> (SELECT min(case_code) FROM case_file WHERE closed_on IS NOT NULL)""",
    # goals achieved in full by all evaluated cases but one
    "UPDATE case_file SET evaluation = 'full' WHERE evaluation IS NOT NULL",
    """UPDATE case_file SET evaluation = 'none'
       WHERE case_code = (SELECT min(case_code) FROM case_file WHERE evaluation IS NOT NULL)""",
]


@pytest.fixture(scope="module")
def crafted_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("crafted") / "crafted.duckdb"
    shutil.copy(demo_db, path)
    conn = duckdb.connect(str(path))
    for sql in CRAFT:
        conn.execute(sql)
    # the busiest gmina's last ended month keeps only 2 of its monthly reports: "<5" of many expected
    (terc, month), *_ = conn.execute(LAST_MONTH, {"before": TODAY.replace(day=1)}).fetchall()
    ids = [r for (r,) in conn.execute(REPORTS, {"terc": terc, "month": month}).fetchall()]
    conn.execute("DELETE FROM monthly_report WHERE list_contains($ids, report_id)", {"ids": ids[2:]})
    conn.close()
    return path


LAST_MONTH = """
SELECT c.terc, r.month
FROM monthly_report r JOIN case_task t USING (task_id) JOIN case_file c USING (case_code)
WHERE r.month = (SELECT max(month) FROM monthly_report WHERE month < $before)
GROUP BY ALL ORDER BY count(*) DESC, c.terc
"""
REPORTS = """
SELECT r.report_id
FROM monthly_report r JOIN case_task t USING (task_id) JOIN case_file c USING (case_code)
WHERE c.terc = $terc AND r.month = $month ORDER BY r.report_id
"""


def _report(found: dict[str, dict[Key, int]]) -> str:
    lines = [f"{sum(map(len, found.values()))} recoveries of a '<5':"]
    lines += [f"  {screen}: {cells}" for screen, cells in found.items()]
    return "\n".join(lines)


def test_no_subtraction_gives_a_small_count_back_on_the_demo(demo_db):
    found = all_recoveries(demo_db)
    assert not found, _report(found)


def test_no_subtraction_gives_a_small_count_back_on_a_crafted_warehouse(crafted_db):
    conn = duckdb.connect(str(crafted_db), read_only=True)
    try:  # the craft did make small counts next to exact totals
        closures = case_stats.closure_reasons(conn, ADMIN)
        assert sorted(closures.cases)[:3] == [0, 0, 1]
        assert int(report.effects(conn, ADMIN, TODAY).cases["Zgłoszone"].iloc[2]) == 2
        overview = queries.region_overview(conn, TODAY)
        assert sorted(overview.cases_closed)[-2:][0] == 1  # one gmina with 1, one with the rest
        rows = case_stats.report_completeness(conn, ADMIN, TODAY)
        assert ((rows.expected >= disclosure.THRESHOLD) & (rows.received == 2)).any()
    finally:
        conn.close()
    found = all_recoveries(crafted_db)
    assert not found, _report(found)


def test_the_attacker_does_find_what_plain_suppression_leaves():
    # "<5" next to an exact total: the attacker must catch it (else the tests above prove nothing)
    shown = {"a": disclosure.LABEL, "b": 12, "c": 20, "t": 35}
    truth = {"a": 3, "b": 12, "c": 20, "t": 35}
    assert attack(shown, truth, [_sum(["a", "b", "c"], "t")]) == {"a": 3}
    # two "<5" summing to 2 (both 1), a rate over a known base, a chain of cumulative figures
    assert attack({"a": "<5", "b": "<5", "t": 2}, {"a": 1, "b": 1, "t": 2}, [_sum(["a", "b"], "t")]) == {
        "a": 1,
        "b": 1,
    }
    assert attack({"n": "<5", "base": 10}, {"n": 3, "base": 10}, [], [(0.3, "n", "base")]) == {"n": 3}
    chain = [_sum(["c0", "c1", "c2"], "r0"), _sum(["c1", "c2"], "r1"), _sum(["c2"], "r2")]
    cells = {"c0": 9, "c1": 3, "c2": 7, "r0": 19, "r1": 10, "r2": 7}
    assert attack({**cells, "c1": "<5"}, cells, chain) == {"c1": 3}
    # "<5" + "x" = 6 gives "<5" = 1 (an "x" is at least 5)
    assert attack({"a": "<5", "b": "x", "t": 6}, {"a": 1, "b": 5, "t": 6}, [_sum(["a", "b"], "t")]) == {
        "a": 1
    }


def test_the_zarzad_gets_the_same_protection(demo_db):
    conn = duckdb.connect(str(demo_db), read_only=True)
    try:
        assert not summary_attack(conn, ZARZAD, None)
        assert not effects_attack(conn, ZARZAD, None)
    finally:
        conn.close()


def test_the_admin_and_the_animator_keep_every_number(demo_db):
    conn = duckdb.connect(str(demo_db), read_only=True)
    try:
        for actor in (ADMIN, Actor("animator1", "animator")):
            tables = case_stats.summary(conn, actor, TODAY, None)
            for name, cols in SUMMARY_COUNTS.items():
                assert not tables[name][cols].map(disclosure.is_hidden).any().any(), name
            r = report.effects(conn, actor, TODAY)
            assert not r.suppressed
            assert all(isinstance(v, int) for k, v in r.headline.items() if k in HEADLINE)
            for df in _effects_tables(r).values():
                assert not df.map(disclosure.is_hidden).any().any()
    finally:
        conn.close()


@pytest.mark.xfail(strict=True, reason="each scope and screen is protected on its own (see disclosure)")
def test_no_subtraction_across_scopes_and_screens(crafted_db):
    """Known limit: the region's figures are the sums of the gminy's, shown on other screens.

    The Sprawy page of the region shows 14 closed cases, that of each gmina its own; the overview
    shows the closed cases per gmina. Protected one by one, a gmina's "x" on one screen is exact
    on another, and 14 − 13 gives its neighbour's "<5" back.
    """
    conn = duckdb.connect(str(crafted_db), read_only=True)
    try:
        shown: dict[Key, object] = {}
        truth: dict[Key, int] = {}
        closed = STAGES.index("closed")
        gminy = list(case_stats.pilot_gminy(conn).terc)
        for terc in [None, *gminy]:
            for who, into in ((WZK, shown), (ADMIN, truth)):
                f = case_stats.summary(conn, who, TODAY, terc)["funnel"]
                into[("sprawy", terc)] = f.reached.iloc[closed]
        _, rows = dashboard.disclosed(*_overview_parts(conn), WZK)
        _, true_rows = dashboard.disclosed(*_overview_parts(conn), ADMIN)
        for terc, v, t in zip(rows.terc, rows.cases_closed, true_rows.cases_closed, strict=True):
            shown[("przeglad", terc)], truth[("przeglad", terc)] = (int(v) if str(v).isdigit() else v), int(t)
        shown = {k: v if isinstance(v, str) else int(v) for k, v in shown.items()}
        truth = {k: int(v) for k, v in truth.items()}
        relations = [_sum([("sprawy", t) for t in gminy], ("sprawy", None))]
        relations += [{("sprawy", t): 1, ("przeglad", t): -1} for t in gminy]
    finally:
        conn.close()
    found = attack(shown, truth, relations)
    assert not found, _report({"sprawy + przeglad": found})


def _overview_parts(conn):
    overview = queries.region_overview(conn, TODAY)
    alerts = pd.DataFrame({"terc": pd.Series([], dtype=str), "days_over": pd.Series([], dtype=int)})
    return dashboard.kpis(overview, alerts), dashboard.overview_table(overview, alerts)


def test_the_pdf_shows_the_complements_and_says_what_they_are(crafted_db):
    import pypdf

    conn = duckdb.connect(str(crafted_db), read_only=True)
    try:
        seen = report.effects(conn, WZK, TODAY)
    finally:
        conn.close()
    cells = [v for df in _effects_tables(seen).values() for v in df.to_numpy().ravel()]
    assert disclosure.SECONDARY in cells  # the craft needs complements (a closed-case kind, a reason)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(report.to_pdf(seen))).pages)
    assert disclosure.LABEL in text and "odejmowaniem" in " ".join(text.split())
