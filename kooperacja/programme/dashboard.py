"""Figures the pages show: overview KPIs, the table of pilot gminy with their alerts, alert filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from kooperacja.model import access, disclosure, vocab
from kooperacja.model.access import Actor
from kooperacja.model.rules import STATUS_LABELS, Status
from kooperacja.programme import alerts as alert_lists
from kooperacja.programme.queries import PROGRESS_LABELS

CASE_RULES = frozenset({"ggk_notice", "monthly_report", "monitoring"})  # alerts naming a case
VARIANT_SHORT = {"rural": "wiejski", "urban_rural": "miejsko-wiejski", "urban": "miejski"}  # narrow tables
OVERVIEW_COLUMNS = [
    "name",
    "powiat",
    "variant",
    "animator",
    "current_step",
    "progress_state",
    "delay_days",
    "pzk_members",
    "cases_open",
    "cases_closed",
    "alerts",
]


@dataclass(frozen=True)
class Kpis:
    """The tiles of the regional overview."""

    gminy: int
    by_variant: dict[str, int]
    by_state: dict[str, int]
    pzk_members: int
    cases_open: int | str  # "<5" or "x" for the WZK and the Zarząd (`disclosed`)
    cases_closed: int | str
    alerts_overdue: int
    alerts_today: int
    alerts_soon: int


def kpis(overview: pd.DataFrame, alerts: pd.DataFrame) -> Kpis:
    """Counts over `queries.region_overview` and `alerts.list_alerts` (days_over > 0: overdue).

    >>> ov = pd.DataFrame({"variant": ["rural"], "progress_state": ["late"], "pzk_members": [4],
    ...                    "cases_open": [2], "cases_closed": [1]})
    >>> kpis(ov, pd.DataFrame({"days_over": [3, 0, -2]})).alerts_today
    1
    """
    return Kpis(
        gminy=len(overview),
        by_variant={v: int((overview.variant == v).sum()) for v in vocab.VARIANTS},
        by_state={s: int((overview.progress_state == s).sum()) for s in PROGRESS_LABELS},
        pzk_members=int(overview.pzk_members.sum()),
        cases_open=int(overview.cases_open.sum()),
        cases_closed=int(overview.cases_closed.sum()),
        alerts_overdue=alert_lists.overdue_count(alerts),
        alerts_today=alert_lists.due_today_count(alerts),
        alerts_soon=alert_lists.due_soon_count(alerts),
    )


# The overview's alert tiles: (label, the one count function of that label).
ALERT_TILES = (
    ("Alerty po terminie", alert_lists.overdue_count),
    ("Alerty z terminem dziś", alert_lists.due_today_count),
    ("Alerty na ten tydzień", alert_lists.due_soon_count),
)
WITHOUT_CASES = " (bez spraw)"


def alert_label(label: str, actor: Actor) -> str:
    """A label of an alert count as `actor` reads it: the WZK and the Zarząd count no case alerts,
    so their label says so — one label never shows two figures on the same day.

    >>> alert_label("Alerty po terminie", Actor("w", "wzk"))
    'Alerty po terminie (bez spraw)'
    """
    return label if access.can_read_cases(actor) else label + WITHOUT_CASES


def alert_tiles(alerts: pd.DataFrame, actor: Actor) -> list[tuple[str, int]]:
    """(label, count) of the overview's alert tiles over the region's to-do list, as `actor` sees it."""
    shown = visible_alerts(alerts, actor)
    return [(alert_label(label, actor), count(shown)) for label, count in ALERT_TILES]


def overview_table(overview: pd.DataFrame, alerts: pd.DataFrame) -> pd.DataFrame:
    """One row per pilot gmina with its alert count and the progress state in words."""
    counts = alerts.groupby("terc").size().rename("alerts")
    out = overview.merge(counts, left_on="terc", right_index=True, how="left")
    out["alerts"] = out["alerts"].fillna(0).astype(int)
    out["progress_state"] = out.progress_state.map(PROGRESS_LABELS)
    out["current_step"] = out.current_step.fillna("—")
    return out.reset_index(drop=True)


OVERVIEW_COUNTS = ("cases_open", "cases_closed")


def disclosed(k: Kpis, rows: pd.DataFrame, actor: Actor) -> tuple[Kpis, pd.DataFrame]:
    """The tiles and the `overview_table` as `actor` may see them.

    For the WZK and the Zarząd the cases per gmina are suppressed ("<5") together with the
    tiles, which are their sums, so that no tile minus the other gminy gives a "<5" back
    (complements "x", see `disclosure`); one type per column for the grid: "0", "<5", "12".

    >>> rows = pd.DataFrame({"cases_open": [3, 9, 20], "cases_closed": [0, 5, 6]})
    >>> k = Kpis(3, {}, {}, 0, 32, 11, 0, 0, 0)
    >>> shown, table = disclosed(k, rows, Actor("w", "wzk"))
    >>> shown.cases_open, list(table.cases_open), shown.cases_closed, list(table.cases_closed)
    (32, ['<5', 'x', '20'], 11, ['0', '5', '6'])
    """
    if not disclosure.hides(actor):
        return k, rows
    tiles = pd.DataFrame({c: [getattr(k, c)] for c in OVERVIEW_COUNTS})
    relations = [
        disclosure.total([("rows", i, c) for i in range(len(rows))], ("tiles", 0, c)) for c in OVERVIEW_COUNTS
    ]
    counts = {"rows": OVERVIEW_COUNTS, "tiles": OVERVIEW_COUNTS}
    out = disclosure.protect_frames({"rows": rows, "tiles": tiles}, counts, relations)
    table = out["rows"]
    table[list(OVERVIEW_COUNTS)] = table[list(OVERVIEW_COUNTS)].astype(str)
    return replace(k, **{c: out["tiles"][c].tolist()[0] for c in OVERVIEW_COUNTS}), table


def filter_alerts(
    alerts: pd.DataFrame, animators: Iterable[str] = (), gminy: Iterable[str] = (), rules: Iterable[str] = ()
) -> pd.DataFrame:
    """Alerts narrowed by animator, gmina (TERC) and rule code; an empty selection does not narrow.

    Region-wide alerts (no gmina, e.g. the WZK meeting) stay when only the animator is chosen.
    """
    animators, gminy, rules = set(animators), set(gminy), set(rules)
    keep = pd.Series(True, index=alerts.index)
    if animators:
        keep &= alerts.animator.isin(animators) | alerts.terc.isna()
    if gminy:
        keep &= alerts.terc.isin(gminy)
    if rules:
        keep &= alerts.rule.isin(rules)
    return alerts[keep].reset_index(drop=True)


def alert_counts(alerts: pd.DataFrame) -> pd.DataFrame:
    """Alerts per rule (Polish label), most first."""
    if alerts.empty:
        return pd.DataFrame({"rule_label": [], "count": []})
    counts = alerts.groupby("rule_label").size().rename("count").reset_index()
    return counts.sort_values(["count", "rule_label"], ascending=[False, True], ignore_index=True)


def visible_alerts(alerts: pd.DataFrame, actor: Actor) -> pd.DataFrame:
    """Alerts the actor may read: case-level ones (naming a case code) only for the ROPS staff."""
    if access.can_read_cases(actor):
        return alerts
    return alerts[~alerts.rule.isin(CASE_RULES)].reset_index(drop=True)


UNASSIGNED = "nieprzypisane"


def alerts_table(alerts: pd.DataFrame) -> pd.DataFrame:
    """The to-do list: each alert with its status in words (overdue, or still to do)."""
    out = alerts.copy()
    overdue = out.days_over > 0
    out["status"] = overdue.map({True: STATUS_LABELS[Status.OVERDUE], False: STATUS_LABELS[Status.DUE]})
    out["animator"] = out.animator.astype(object).where(out.animator.notna() | out.terc.isna(), UNASSIGNED)
    out["gmina"] = out.gmina.astype(object).where(out.gmina.notna(), "(region)")
    return out
