"""Cached region-wide reads for the pages, keyed by warehouse file, today and a data-version token.

The token of a read changes only when a table it reads is written: `SCOPES` maps every table to a
scope (the one place for that map), each cached read names the scopes it reads, and its token is
built from the audit rows of those scopes only. So one animator's step event leaves the case
statistics and the services cached, a monthly report leaves the overview cached, and an entry of one
gmina (`report_effects(actor, terc)`) stays cached when another gmina's programme changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kooperacja import lku, warehouse, wzk
from kooperacja.cases import stats as case_stats
from kooperacja.charts import prepared
from kooperacja.charts import programme as charts
from kooperacja.charts import report as report_charts
from kooperacja.model import access, disclosure, formatting, vocab
from kooperacja.model.access import SYSTEM, Actor, require_case_read
from kooperacja.model.formatting import to_display
from kooperacja.programme import alerts, dashboard, pzk, queries
from kooperacja.report import effects as report
from kooperacja.territory import geo, reference
from kooperacja.ui import session

# --- data versions per scope ------------------------------------------------------------------

# Every table of the warehouse in one scope. Every write is audited (audit_log.table_name names the
# table), so a scope's audit rows change whenever its data does. A table missing here (a new one)
# counts for every scope: a write to it invalidates every cached read until it is mapped.
SCOPES: dict[str, frozenset[str]] = {
    "territory": frozenset({"wojewodztwo", "powiat", "gmina", "gmina_boundary", "settings", "problem_area"}),
    "pilot": frozenset(
        {"pilot_gmina", "pilot_powiat", "pilot_exit", "template", "template_step", "plan_date"}
    ),  # plan_date: kept by the writes of pilot, template and plan_shift rows
    "programme": frozenset(
        {"step_event", "plan_shift", "zgloszenie", "zgloszenie_assignment", "alert_explanation"}
    ),
    "pzk": frozenset({"pzk_member"}),
    "institutions": frozenset({"institution"}),
    "meetings": frozenset({"meeting", "meeting_attendee", "wzk_member", "wzk_attendance", "recommendation"}),
    "cases": frozenset({"case_file"}),
    "case_plans": frozenset({"case_goal", "case_task", "case_problem", "case_service"}),
    "case_reports": frozenset({"monthly_report", "case_count", "task_reporting"}),  # case_count: kept by
    # the writes of monthly_report, case_task and case_service rows (every read of it names case_plans
    # too); task_reporting: of monthly_report, case_task and case_file rows (its read names all three)
    "services": frozenset({"service"}),
    "network": frozenset({"problem_map", "resource_card", "survey_wave", "survey_answer", "wave_measure"}),
    # No cached read depends on these.
    "system": frozenset({"app_user", "form_token", "audit_log", "schema_migrations", "document_template"}),
}
TABLE_SCOPE = {table: scope for scope, tables in SCOPES.items() for table in tables}

# Tables whose audit rows carry the gmina the row belongs to (audit_log.terc), and whose reads for one
# gmina see only that gmina's rows: an entry of gmina X ignores their writes in other gminy. Their
# writes without a terc still count for every gmina.
GMINA_ROWS = frozenset({"step_event", "plan_shift", "zgloszenie"})

# The scopes each cached read depends on (checked against the tables its SQL names by
# tests/ui/test_cache_scope.py).
_PROGRAMME = ("territory", "pilot", "programme")
READS: dict[str, tuple[str, ...]] = {
    "overview": (*_PROGRAMME, "pzk", "institutions", "meetings", "cases"),
    "map": ("territory",),  # the map's shapes and context; its colours come from the overview's content
    "alerts": (*_PROGRAMME, "institutions", "meetings", "cases", "case_plans", "case_reports", "network"),
    "effects": (*_PROGRAMME, "pzk", "institutions", "meetings", "cases", "case_plans", "services", "network"),
    "network": ("territory", "pilot", "pzk", "institutions", "network"),
    "gaps": ("territory", "pilot", "cases", "case_plans", "services"),
    "services": ("territory", "institutions", "services"),
    "coverage": ("territory", "pilot", "pzk", "institutions", "meetings"),
    "cases": ("territory", "cases", "case_plans", "case_reports"),
    "case_summary": (
        "territory",
        "pilot",
        "institutions",
        "meetings",
        "cases",
        "case_plans",
        "case_reports",
    ),
}
READS["slides"] = tuple(dict.fromkeys(READS["overview"] + READS["effects"] + READS["gaps"]))
READS["pilot_list"] = ("territory", "pilot")  # the list of pilot gminy
READS["timeline"] = (*_PROGRAMME, "meetings")  # one gmina's plan (K8: WZK meetings); per gmina
READS["actor"] = ("territory", "pilot", "system")  # a user's role, gminy and the gminy's names

# One statement, so one snapshot: the audit rows added since `low`, per table and terc, and the totals.
CHANGES = """
SELECT table_name, terc, max(audit_id), count(*) FROM audit_log WHERE audit_id > $low GROUP BY ALL
UNION ALL
SELECT NULL, '#total', coalesce(max(audit_id), 0), count(*) FROM audit_log
"""
TOTALS = "SELECT coalesce(max(audit_id), 0), count(*) FROM audit_log"  # from the table's statistics


@dataclass
class Versions:
    """Per (table, terc): (newest audit_id, audit rows), kept up to date from the audit log.

    A page run costs one read of the audit log's max and count (answered from its statistics); only
    when they moved are the new rows grouped. Rows committed out of id order (two writers at once) or
    a file with fewer audit rows (a restored copy) make the count disagree: then everything is
    regrouped and `epoch` moves on, which changes every token.
    """

    last_id: int = -1
    rows: int = 0
    now: tuple = ()  # TOTALS at the last refresh
    epoch: int = 0
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    gminy: dict[tuple[str, str | None], tuple[int, int]] = field(default_factory=dict)  # GMINA_ROWS
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, cur: duckdb.DuckDBPyConnection) -> None:
        with self.lock:
            now = tuple(cur.execute(TOTALS).fetchall()[0])
            if now == self.now:
                return
            fresh = self.last_id >= 0 and now[1] >= self.rows
            if fresh:
                changes, total = self._changes(cur, self.last_id)
                fresh = total[1] - self.rows == sum(r[3] for r in changes)
            if not fresh:
                if self.last_id >= 0:
                    self.epoch += 1
                self.tables.clear()
                self.gminy.clear()
                changes, total = self._changes(cur, -1)
            for table, terc, newest, count in changes:
                _add(self.tables, table, newest, count)
                if table in GMINA_ROWS:
                    _add(self.gminy, (table, terc), newest, count)
            self.last_id, self.rows = total
            self.now = now

    @staticmethod
    def _changes(cur: duckdb.DuckDBPyConnection, low: int) -> tuple[list[tuple], tuple[int, int]]:
        found = cur.execute(CHANGES, {"low": low}).fetchall()
        total = next(r for r in found if r[0] is None and r[1] == "#total")
        return [r for r in found if r is not total], (total[2], total[3])

    def token(self, scopes: Iterable[str], terc: str | None = None) -> str:
        """The version of the data of `scopes` (of gmina `terc` where rows are per gmina)."""
        wanted = set(scopes)
        newest, count = 0, 0
        with self.lock:
            for table, (last, rows) in self.tables.items():
                scope = TABLE_SCOPE.get(table)
                if scope is not None and scope not in wanted:
                    continue
                if terc is not None and table in GMINA_ROWS:
                    own, other = self.gminy.get((table, terc), (0, 0)), self.gminy.get((table, None), (0, 0))
                    last, rows = max(own[0], other[0]), own[1] + other[1]
                newest, count = max(newest, last), count + rows
            return f"{self.epoch}.{count}.{newest}"


def _add(seen: dict, key: object, newest: int, count: int) -> None:
    old_id, old_count = seen.get(key, (0, 0))
    seen[key] = (max(old_id, newest), old_count + count)


@st.cache_resource(show_spinner=False, max_entries=4)
def _versions(path: str) -> Versions:
    return Versions()


def token(read: str, terc: str | None = None) -> str:
    """The data version behind cached read `read` (a key of `READS`), for one gmina or the region."""
    versions = _versions(str(warehouse.db_path().resolve()))
    versions.refresh(session.get_conn())
    return versions.token(READS[read], terc)


def _key(read: str, terc: str | None = None) -> tuple[str, date, str]:
    return str(warehouse.db_path().resolve()), session.today(), token(read, terc)


def version_key(read: str) -> tuple[str, date, str]:
    """(warehouse file, today, data version of `read`): the key of a cached read kept elsewhere
    (`session.current_actor`)."""
    return _key(read)


@st.cache_data(show_spinner=False, max_entries=16)
def _overview(path: str, today: date, token: str) -> pd.DataFrame:
    return queries.region_overview(session.get_conn(), today)


# A resource, not data: unpickling the national lists (27,606 alerts, 8.8 MB pickled) took ~0.25 s a call,
# and the overview, the gmina and the alerts pages read them two or three times a run, each call a copy.
@st.cache_resource(show_spinner=False, max_entries=4)
def _alerts(path: str, today: date, token: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    conn = session.get_conn()
    todo, explained = alerts.alert_lists(conn, today)
    return todo, explained, alerts.list_breaches(conn, today)


def region_overview() -> pd.DataFrame:
    """`queries.region_overview` for today, recomputed only after a write."""
    return _overview(*_key("overview"))


def region_alerts() -> pd.DataFrame:
    """`alerts.list_alerts` for today (the to-do list), recomputed only after a write.

    The three alert lists are shared between sessions: callers must not change them.
    """
    return _alerts(*_key("alerts"))[0]


@st.cache_data(show_spinner=False, max_entries=64)
def _gmina_alerts(path: str, today: date, token: str, terc: str) -> pd.DataFrame:
    return alerts.list_alerts(session.get_conn(), today, terc=terc)


def gmina_alerts(terc: str) -> pd.DataFrame:
    """The to-do list's rows of one gmina (the region's for that gmina, read for it alone): a write to
    another gmina's programme leaves it cached, and after one to this gmina only its rows are read."""
    return _gmina_alerts(*_key("alerts", terc), terc)


def region_explained_alerts() -> pd.DataFrame:
    """`alerts.list_explained` for today: the alerts marked "wyjaśnione", with who, when and why."""
    return _alerts(*_key("alerts"))[1]


def region_breaches() -> pd.DataFrame:
    """`alerts.list_breaches` for today: the recorded breaches of the region."""
    return _alerts(*_key("alerts"))[2]


ALERT_LISTS = ("todo", "explained", "breaches")  # the order of `_alerts`


# A resource: the lists the Alerty page shows, narrowed and made into its tables once per filter (the
# national to-do list took ~240 ms a run to label, format and lay out for the grid, 27,606 rows).
@st.cache_resource(show_spinner=False, max_entries=6)
def _alert_table(
    path: str,
    today: date,
    token: str,
    which: str,
    cases: bool,
    who: tuple[str, ...],
    where: tuple[str, ...],
    what: tuple[str, ...],
    columns: tuple[str, ...],
    _actor: Actor,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from kooperacja.ui import alert_forms  # the page's own table of alerts

    found = dashboard.visible_alerts(_alerts(path, today, token)[ALERT_LISTS.index(which)], _actor)
    # no filter: the shared list itself (a copy of the national to-do list is ~15 MB)
    shown = dashboard.filter_alerts(found, who, where, what) if who or where or what else found
    rows = dashboard.alerts_table(shown) if which == "todo" else shown
    return shown, alert_forms.view(rows, list(columns))


def alert_table(
    actor: Actor, which: str, who: list[str], where: list[str], what: list[str], columns: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the alerts of list `which` — "todo", "explained" or "breaches" — that `actor` sees, narrowed
    by animator, gmina and rule; their table as the Alerty page shows it, with `columns`).

    Made once per list, filter and what the role sees (the case alerts: ROPS staff only), until a
    write the alerts depend on; shared between sessions: callers must not change them.
    """
    key = _key("alerts")
    filters = tuple(who), tuple(where), tuple(what)
    return _alert_table(*key, which, access.can_read_cases(actor), *filters, tuple(columns), actor)


@st.cache_resource(show_spinner=False, max_entries=4)
def _overview_figure(
    path: str, today: date, token: str, content: str, region: str, _overview: pd.DataFrame
) -> tuple[str, go.Figure]:
    # A resource, not data: one shared figure, no pickling (the national map takes 0.5–1.5 s to build).
    # Keyed by what it draws: the overview's content and the territory (`token`: boundaries, gminy),
    # so a write that leaves the overview as it was (a corrected note) does not rebuild the map.
    # `prepared`: its plotly dict made once, not copied and cleaned by st.plotly_chart on every run.
    overview = _overview
    conn = session.get_conn()
    context = geo.region_terc6(conn, list(overview.terc))
    shapes = geo.boundaries_geojson(conn, context + [t[:6] for t in overview.terc])
    drawn = {f["id"] for f in shapes["features"]}
    if any(t[:6] in drawn for t in overview.terc):
        outlines = reference.outlines(list(drawn))
        shown = [t for t in context if t in drawn]
        return "map", prepared(charts.choropleth(overview, shapes, shown, outlines))
    return "treemap", prepared(charts.treemap(overview, region))


def content_key(frame: pd.DataFrame) -> str:
    """A digest of a frame's columns, types and values: equal frames, equal keys (~5 ms for 2,479 rows)."""
    digest = hashlib.sha1(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def overview_figure() -> tuple[str, go.Figure]:
    """("map", the choropleth) when gmina boundaries are imported, else ("treemap", the treemap).

    Built once per overview content and shared between sessions: callers must not change it.
    """
    overview = region_overview()
    path, today, token = _key("map")
    return _overview_figure(path, today, token, content_key(overview), region_name(), overview)


# Region-wide reads of the other pages, cached the same way. An actor changes a result only through
# whether it sees counts under 5 as "<5" (the WZK and the Zarząd), so that is the key (`hidden`) and
# the actor rides along unhashed.


@st.cache_data(show_spinner=False, max_entries=32)
def _effects(
    path: str, today: date, token: str, terc: str | None, hidden: bool, _actor: Actor
) -> report.EffectsReport:
    return report.effects(session.get_conn(), _actor, today, terc)


def report_effects(actor: Actor, terc: str | None = None) -> report.EffectsReport:
    """`report.effects` for today, the region or one gmina, as `actor`'s role may see it."""
    return _effects(*_key("effects", terc), terc, disclosure.hides(actor), actor)


@st.cache_data(show_spinner=False, max_entries=16)
def _gaps(path: str, today: date, token: str, on: date) -> pd.DataFrame:
    return lku.gaps(session.get_conn(), on)


def service_gaps(on: date) -> pd.DataFrame:
    """`lku.gaps` of every pilot gmina on a date."""
    return _gaps(*_key("gaps"), on)


@st.cache_resource(show_spinner=False, max_entries=16)  # not pickled: unpickling ~30,000 rows took 0.2 s
def _services(path: str, today: date, token: str, fields: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = lku.search(session.get_conn(), lku.ServiceFilter(*fields))
    return found, lku.activity_list(found)


def service_search(flt: lku.ServiceFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`lku.search`, its `lku.activity_list`) for a filter; shared between sessions: do not change them."""
    return _services(*_key("services"), astuple(flt))


@st.cache_resource(show_spinner=False, max_entries=8)
def _gap_figure(path: str, today: date, token: str, on: date, hidden: bool) -> go.Figure:
    return prepared(
        report_charts.gap_heatmap(lku.gap_map(_gaps(path, today, token, on))[0], hide_small=hidden)
    )


def gap_figure(on: date, actor: Actor) -> go.Figure:
    """The gap heatmap of `service_gaps(on)`; shared between sessions: callers must not change it."""
    return _gap_figure(*_key("gaps"), on, disclosure.hides(actor))


@st.cache_data(show_spinner=False, max_entries=16)
def _coverage(path: str, today: date, token: str, on: date) -> pd.DataFrame:
    return pzk.coverage_matrix(session.get_conn(), on)


def pzk_coverage(on: date) -> pd.DataFrame:
    """`pzk.coverage_matrix` of every pilot gmina on a date."""
    return _coverage(*_key("coverage"), on)


@st.cache_resource(show_spinner=False, max_entries=8)
def _coverage_figure(path: str, today: date, token: str, on: date) -> go.Figure:
    return prepared(charts.coverage_heatmap(_coverage(path, today, token, on)))


def coverage_figure(on: date) -> go.Figure:
    """The sector coverage heatmap of `pzk_coverage(on)`; shared: callers must not change it."""
    return _coverage_figure(*_key("coverage"), on)


@st.cache_data(show_spinner=False, max_entries=8)
def _slides(
    path: str,
    today: date,
    token: str,
    hidden: bool,
    _actor: Actor,
    _overview: pd.DataFrame,
    _effects: report.EffectsReport,
    _gaps: pd.DataFrame,
) -> list[wzk.Slide]:
    # The parts come from their own caches (their tokens are covered by this one's scopes).
    return wzk.meeting_slides(
        session.get_conn(), _actor, today, overview=_overview, effects=_effects, gaps=_gaps
    )


def meeting_slides(actor: Actor) -> list[wzk.Slide]:
    """`wzk.meeting_slides` for today, from the cached overview, report and service gaps."""
    parts = region_overview(), report_effects(actor), service_gaps(session.today())
    return _slides(*_key("slides"), disclosure.hides(actor), actor, *parts)


CASE_COLUMNS = ["case_code", "gmina", "kind", "stage_label", "referred_on", "plan_on", "closed_on"]
CASE_HEADERS = {
    "case_code": "Kod sprawy",
    "kind": "Rodzaj",
    "stage_label": "Etap",
    "referred_on": "Zgłoszona",
    "plan_on": "Plan pracy",
    "closed_on": "Zakończona",
}


@st.cache_resource(show_spinner=False, max_entries=16)  # not pickled: ~100,000 cases nationally
def _case_list(
    path: str, today: date, token: str, terc: str | None, stage: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = case_stats.list_cases(session.get_conn(), SYSTEM, terc, stage)
    listed = rows[CASE_COLUMNS]  # the kind's label in one pass (to_display maps 100k cells one by one)
    view = to_display(listed.assign(kind=listed.kind.map(vocab.CASE_KINDS).fillna(listed.kind)))
    view.columns = [CASE_HEADERS.get(c, h) for c, h in zip(CASE_COLUMNS, view.columns, strict=True)]
    return rows, view


def case_list(
    actor: Actor, terc: str | None = None, stage: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`case_stats.list_cases`, the same as the page's table) for ROPS staff only.

    Shared between sessions: callers must not change them.
    """
    require_case_read(actor)
    return _case_list(*_key("cases", terc), terc, stage)


@st.cache_data(show_spinner=False, max_entries=32)
def _case_summary(
    path: str, today: date, token: str, terc: str | None, hidden: bool, _actor: Actor
) -> dict[str, pd.DataFrame]:
    return case_stats.summary(session.get_conn(), _actor, today, terc)


def case_summary(actor: Actor, terc: str | None = None) -> dict[str, pd.DataFrame]:
    """The ROPS case statistics of the region or a gmina (`case_stats`), as the role may see them."""
    return _case_summary(*_key("case_summary", terc), terc, disclosure.hides(actor), actor)


@st.cache_resource(show_spinner=False, max_entries=4)  # shared, not pickled
def _pilot_gminy(path: str, today: date, token: str) -> pd.DataFrame:
    return queries.list_pilot_gminy(session.get_conn())


def pilot_gminy() -> pd.DataFrame:
    """`queries.list_pilot_gminy` (every pilot gmina), read again only after a write to the pilot or
    the territory; shared between sessions: callers must not change it."""
    return _pilot_gminy(*_key("pilot_list"))


@st.cache_resource(show_spinner=False, max_entries=4)  # shared, not pickled
def _pilot_labels(path: str, today: date, token: str) -> dict[str, str]:
    pilot = _pilot_gminy(path, today, token)
    # Python strings, not pandas' Arrow arithmetic: `name + " (" + …` took ~40 ms a run nationally
    terc, name, powiat = (pilot[c].tolist() for c in ("terc", "name", "powiat"))
    return {t: f"{n} ({p})" for t, n, p in zip(terc, name, powiat, strict=True)}


def pilot_labels() -> dict[str, str]:
    """TERC -> "name (powiat)" of every pilot gmina, in the pilot list's order (the gmina pickers);
    shared between sessions: callers must not change it."""
    return _pilot_labels(*_key("pilot_list"))


@st.cache_resource(show_spinner=False, max_entries=32)
def _timeline(path: str, today: date, token: str, terc: str) -> tuple[pd.DataFrame, go.Figure]:
    plan = queries.gmina_plans(session.get_conn(), today, terc)
    return plan, prepared(charts.gantt(plan, today))


def gmina_timeline(terc: str) -> tuple[pd.DataFrame, go.Figure]:
    """(`queries.gmina_plans` of one gmina for today, its Gantt chart): made again only after a write
    to that gmina's programme (or the pilot, the territory); shared: callers must not change them."""
    return _timeline(*_key("timeline", terc), terc)


FIRST_WOJEWODZTWO = "SELECT name FROM wojewodztwo ORDER BY terc LIMIT 1"


def region_name() -> str:
    """The region's name from settings, else the (first) województwo in the register."""
    conn = session.get_conn()
    name = warehouse.get_setting(conn, "region_name")
    if name:
        return name
    rows = conn.execute(FIRST_WOJEWODZTWO).fetchall()
    if rows:
        return f"województwo {formatting.region_name(rows[0][0])}"
    return "Region (rejestr terytorialny jeszcze nie wczytany)"
