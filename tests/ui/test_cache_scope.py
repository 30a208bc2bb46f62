"""Caches scoped to what changed (issue 16): a write invalidates only the cached reads of its scope.

The cached reads of `kooperacja.ui.data` are called directly (no page), on a copy of the demo
warehouse; calls of the underlying functions are counted to prove an entry was kept or recomputed.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import pandas as pd
import pytest

from kooperacja import lku, warehouse
from kooperacja.accounts import users
from kooperacja.cases import stats as case_stats
from kooperacja.model.access import SYSTEM, Actor
from kooperacja.model.records import MonthlyReport, Service
from kooperacja.network import queries as network
from kooperacja.programme import alerts, queries
from kooperacja.programme import services as programme
from kooperacja.report import effects as report
from kooperacja.territory import geo
from kooperacja.ui import data, session
from kooperacja.warehouse import store

TODAY = date(2026, 11, 24)
GMINA = "3401011"  # Zawiśle, animator1's
OTHER = "3401032"
ANIMATOR1 = Actor("animator1", "animator", frozenset({"3401011", "3401032", "3401043", "3401052"}))


class Counted:
    """Wraps a function and counts its calls."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


@pytest.fixture
def counted(app_db, monkeypatch):
    found = {}
    for name, module, attr in [
        ("overview", queries, "region_overview"),
        ("alerts", alerts, "alert_lists"),
        ("effects", report, "effects"),
        ("cases", case_stats, "list_cases"),
        ("summary", case_stats, "summary"),
        ("services", lku, "search"),
    ]:
        found[name] = Counted(getattr(module, attr))
        monkeypatch.setattr(module, attr, found[name])
    return found


def _read_all() -> None:
    data.region_overview()
    data.region_alerts()
    data.report_effects(SYSTEM, GMINA)
    data.report_effects(SYSTEM, OTHER)
    data.case_list(SYSTEM)
    data.case_summary(SYSTEM)
    data.service_search(lku.ServiceFilter())


def _calls(counted) -> dict[str, int]:
    return {name: c.calls for name, c in counted.items()}


def _step_event(terc: str = GMINA) -> int:
    return programme.record_step_event(
        session.get_conn(),
        ANIMATOR1,
        terc=terc,
        substep="9.1",
        kind="completed",
        event_on=date(2026, 11, 20),
        evidence="Protokół 40/2026",
        today=TODAY,
    )


def _correct(cls, table: str, key_column: str) -> None:
    conn = session.get_conn()
    key = conn.execute(f"SELECT min({key_column}) FROM {table}").fetchall()[0][0]
    with warehouse.transaction(conn) as cur:
        store.update(cur, "admin", cls, key, {"note": "Poprawiona uwaga"}, reason="Literówka w uwadze")


def test_every_table_has_one_scope(conn):
    tables = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    mapped = [t for ts in data.SCOPES.values() for t in ts]
    assert len(mapped) == len(set(mapped)), "a table in two scopes"
    assert tables - set(mapped) == set(), "map the new tables in data.SCOPES"
    assert set(data.GMINA_ROWS) <= set(mapped)
    assert {s for scopes in data.READS.values() for s in scopes} <= set(data.SCOPES)


class Recording:
    """A connection that records the SQL run through it (and through its cursors)."""

    def __init__(self, conn, log):
        self._conn, self._log = conn, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._conn.execute(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._conn.sql(sql, *args, **kwargs)

    def cursor(self):
        return Recording(self._conn.cursor(), self._log)

    def __getattr__(self, name):
        return getattr(self._conn, name)


NETWORK_GMINA = "3401011"  # the demo gmina with a baseline and an extra wave
UNDERLYING = {
    "overview": lambda c: queries.region_overview(c, TODAY),
    "map": lambda c: geo.boundaries_geojson(c, [*geo.region_terc6(c, ["3401011"]), "340101"]),
    "alerts": lambda c: (alerts.alert_lists(c, TODAY), alerts.list_breaches(c, TODAY)),
    "effects": lambda c: (report.effects(c, SYSTEM, TODAY, None), report.effects(c, SYSTEM, TODAY, GMINA)),
    "gaps": lambda c: lku.gaps(c, TODAY),
    "services": lambda c: lku.search(c, lku.ServiceFilter()),
    "coverage": lambda c: data.pzk.coverage_matrix(c, TODAY),
    "cases": lambda c: [case_stats.list_cases(c, SYSTEM, t, None) for t in (None, GMINA)],
    "case_summary": lambda c: case_stats.summary(c, SYSTEM, TODAY, None),
    "pilot_list": lambda c: queries.list_pilot_gminy(c),
    "timeline": lambda c: queries.gmina_plans(c, TODAY, GMINA),
    "actor": lambda c: (users.load_actor(c, "animator1"), users.load_actor(c, "admin")),
    "network": lambda c: [
        (network.wave_graph(c, w), network.wave_measures(c, w), network.change(c, NETWORK_GMINA))
        for w in network.waves(c, NETWORK_GMINA).wave_id
    ],
}


def test_each_cached_read_names_the_scopes_of_every_table_its_sql_reads(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for read, run in UNDERLYING.items():
            log: list[str] = []
            run(Recording(conn, log))
            named = set(re.findall(r"[a-z_]+", " ".join(log).lower())) & tables
            covered = {t for s in data.READS[read] for t in data.SCOPES[s]}
            assert named - covered == set(), f"{read} reads tables outside its scopes"
        slides = set(data.READS["overview"] + data.READS["effects"] + data.READS["gaps"])
        assert slides <= set(data.READS["slides"])
    finally:
        conn.close()


def _written(counted, write) -> dict[str, int]:
    """How many times each underlying read ran again after `write`, every cached read read twice."""
    _read_all()
    _read_all()
    before = _calls(counted)
    write()
    _read_all()
    _read_all()
    return {name: calls - before[name] for name, calls in _calls(counted).items()}


def test_a_write_refreshes_the_cached_reads_of_its_scope_only(counted):
    """One test, three writes in turn: the cold reads are paid once."""
    # a monthly report: the overview, the effects report and the services do not read monthly
    # reports; the alerts do (missing reports), like the case list and the case statistics
    again = _written(counted, lambda: _correct(MonthlyReport, "monthly_report", "report_id"))
    assert again == {"overview": 0, "alerts": 1, "effects": 0, "cases": 1, "summary": 1, "services": 0}

    # a service: the effects report counts services (GMINA's and OTHER's entries), the rest does not
    again = _written(counted, _rename_service)
    assert again == {"overview": 0, "alerts": 0, "effects": 2, "cases": 0, "summary": 0, "services": 1}

    # a step event of GMINA: the region's overview and alerts, and GMINA's effects; OTHER's kept
    before = data.region_overview().set_index("terc").loc[GMINA]
    again = _written(counted, _step_event)
    assert again == {"overview": 1, "alerts": 1, "effects": 1, "cases": 0, "summary": 0, "services": 0}
    conn = session.get_conn()
    shown = data.region_overview()
    assert shown.equals(counted["overview"].fn(conn, TODAY)), "the overview after a write: recomputed"
    assert not shown.set_index("terc").loc[GMINA].equals(before), "the new step shows"
    kept = data.report_effects(SYSTEM, OTHER)
    assert _same(kept, counted["effects"].fn(conn, SYSTEM, TODAY, OTHER)), "the other gmina's entry is right"


def test_a_gminas_alerts_are_read_for_it_alone_and_kept_over_another_gminas_write(app_db, monkeypatch):
    counted = Counted(alerts.list_alerts)
    monkeypatch.setattr(alerts, "list_alerts", counted)
    mine, others = data.gmina_alerts(GMINA), data.gmina_alerts(OTHER)
    region = data.region_alerts()
    assert mine.reset_index(drop=True).equals(region[region.terc == GMINA].reset_index(drop=True))
    assert counted.calls == 2 and len(mine) and len(others)
    _step_event(OTHER)
    data.gmina_alerts(GMINA)
    assert counted.calls == 2, "another gmina's step leaves this gmina's alerts cached"
    _step_event(GMINA)
    assert data.gmina_alerts(GMINA).equals(counted.fn(session.get_conn(), TODAY, terc=GMINA))
    assert counted.calls == 3, "its own step reads its alerts again"


def _same(a, b) -> bool:
    """Two reports equal field by field (frames with `DataFrame.equals`)."""
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if not (x.equals(y) if isinstance(x, pd.DataFrame) else x == y):
            return False
    return True


def _rename_service() -> None:
    conn = session.get_conn()
    key = conn.execute("SELECT min(service_id) FROM service").fetchall()[0][0]
    with warehouse.transaction(conn) as cur:
        store.update(cur, "admin", Service, key, {"name": "Poradnictwo (poprawione)"}, reason="Nowa nazwa")


def _audit(conn, audit_id: int, table: str, terc: str | None = None) -> None:
    conn.execute(
        "INSERT INTO audit_log (audit_id, username, action, table_name, record_key, terc) "
        "VALUES (?, 'admin', 'insert', ?, '1', ?)",
        [audit_id, table, terc],
    )


def test_versions_follow_the_audit_log_per_scope_per_gmina_and_late_commits(conn):
    versions = data.Versions()
    versions.refresh(conn)
    programme, cases = ["territory", "pilot", "programme"], ["cases", "case_reports"]
    start = {"p": versions.token(programme), "c": versions.token(cases)}
    _audit(conn, 10, "step_event", GMINA)
    versions.refresh(conn)
    assert versions.token(cases) == start["c"], "a step event is not a case write"
    assert versions.token(programme) != start["p"]
    of_other = versions.token(programme, OTHER)
    _audit(conn, 11, "step_event", GMINA)
    _audit(conn, 12, "plan_shift", None)  # no gmina named: counts for every gmina
    versions.refresh(conn)
    assert versions.token(programme, OTHER) != of_other
    of_other, of_gmina = versions.token(programme, OTHER), versions.token(programme, GMINA)
    _audit(conn, 13, "step_event", GMINA)
    versions.refresh(conn)
    assert versions.token(programme, OTHER) == of_other, "another gmina's step leaves OTHER's entries"
    assert versions.token(programme, GMINA) != of_gmina
    # a transaction that took an earlier id commits after a later one was seen
    seen = versions.token(cases)
    _audit(conn, 5, "monthly_report")
    versions.refresh(conn)
    assert versions.token(cases) != seen, "a late commit still changes the token"
    # an unmapped (new) table counts for every scope
    seen = versions.token(cases)
    _audit(conn, 14, "brand_new_table")
    versions.refresh(conn)
    assert versions.token(cases) != seen
