"""The benchmark: every page, warehouse query, import/export and report timed on a demo warehouse.

`python -m kooperacja bench --scale pilot|national|both [--out FILE] [--browser]`; see
docs/performance.md for the targets and the figures.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import json
import logging
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kooperacja import warehouse
from kooperacja.model.formatting import plural

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "data" / "bench"
SCALES = ("tiny", "pilot", "national")  # tiny: 40 gminy of the national generator, for the test
TINY_GMINY = 40
ROLE_USERS = {"admin": "admin", "animator": "animator1", "wzk": "wzk", "zarzad": "zarzad"}
FLOOR_PAGE = "import streamlit as st\nst.title('Floor')\nst.write('Trivial page.')\n"
IMPORT_ROWS = 10_000
UPDATE_TARGET_S = 5.0  # IMPORT_ROWS rows re-imported as updates (issue 14)
EXPORT_MAX_ROWS = 200_000  # registries larger than this are timed on the first rows (Excel caps at 1,048,576)


# --- helpers ------------------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _of_rows(n: int) -> str:
    """ "import 1 wiersza", "import 10 000 wierszy"."""
    return plural(n, "wiersza", "wierszy", "wierszy")


def _visits(n: int) -> str:
    return plural(n, "wizyta", "wizyty", "wizyt")


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """Warm-up run (its time returned first), then `repeat` timed runs; times in ms."""
    start = time.perf_counter()
    result = fn()
    first = _ms(time.perf_counter() - start)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(_ms(time.perf_counter() - start))
    return first, runs, result


def _status_kb(field: str) -> int:
    found = re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(found.group(1)) if found else 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # Linux: writing 5 resets VmHWM, so each page gets its own peak
        Path("/proc/self/clear_refs").write_text("5")


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(ram, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "streamlit": importlib.metadata.version("streamlit"),  # not imported: only the page timing needs it
        "pandas": pd.__version__,
        "platform": platform.platform(),
    }


# --- the warehouse ------------------------------------------------------------------------------


def ensure_warehouse(
    scale: str, today: date, directory: Path | None = None, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """The demo warehouse of `scale` built on `today`, reused when one with both already exists."""
    directory = directory or BENCH_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path, meta_path = directory / f"{scale}.duckdb", directory / f"{scale}.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if path.exists() and meta.get("today") == today.isoformat() and meta.get("scale") == scale:
        say(f"[{scale}] hurtownia z {meta['today']} użyta ponownie ({path})")
        return {**meta, "path": str(path), "reused": True}
    say(f"[{scale}] budowa hurtowni demo…")
    start = time.perf_counter()
    _build(path, scale, today)
    meta = {"scale": scale, "today": today.isoformat(), "build_s": round(time.perf_counter() - start, 2)}
    conn = warehouse.connect(path, read_only=True)
    try:
        counts = warehouse.table_counts(conn)
    finally:
        conn.close()
    kept = ("pilot_gmina", "case_file", "case_task", "monthly_report", "pzk_member", "meeting", "audit_log")
    meta["rows"] = {t: counts[t] for t in kept if t in counts}
    meta["file_mb"] = round(path.stat().st_size / 2**20, 1)
    meta_path.write_text(json.dumps(meta, indent=1))
    return {**meta, "path": str(path), "reused": False}


def _build(path: Path, scale: str, today: date) -> None:
    from kooperacja.demo import build_demo, build_national

    if scale == "tiny":
        for old in (path, path.with_name(path.name + ".wal")):
            old.unlink(missing_ok=True)
        conn = warehouse.connect(path)
        try:
            build_national(conn, today, lambda _m: None, synthetic=True, gminy_limit=TINY_GMINY)
        finally:
            conn.close()
    else:
        build_demo(path, scale=scale, today=today)


# --- pages with AppTest -------------------------------------------------------------------------


@contextmanager
def _app_env(path: str, today: date) -> Iterator[None]:
    import streamlit as st

    # "missing ScriptRunContext" warnings from cache clearing outside a script run are noise here
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    old = {k: os.environ.get(k) for k in ("KOOPERACJA_DB", "KOOPERACJA_TODAY")}
    os.environ.update(KOOPERACJA_DB=path, KOOPERACJA_TODAY=today.isoformat())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _app_test(script: str, role: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(script, default_timeout=300)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = ROLE_USERS[role]
    at.session_state["roles"] = [role]
    return at


def _run_page(script: str, role: str, repeat: int) -> dict[str, Any]:
    at = _app_test(script, role)
    _reset_peak()
    rss_before = _status_kb("VmRSS")

    def run() -> None:
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].message)

    try:
        first, runs, _ = _timed(run, repeat)
    except RuntimeError as exc:  # a page that fails at this scale is a finding, not the end of the run
        return {
            "role": role,
            "first_ms": None,
            "median_ms": None,
            "runs_ms": [],
            "error": str(exc)[:300],
            "rss_before_mb": round(rss_before / 1024, 1),
            "peak_rss_mb": round(_status_kb("VmHWM") / 1024, 1),
        }
    return {
        "role": role,
        "first_ms": first,
        "median_ms": statistics.median(runs),
        "runs_ms": runs,
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_mb": round(_status_kb("VmHWM") / 1024, 1),
    }


def time_pages(path: str, today: date, repeat: int, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Each page for every role offered it, next to the floor page; both through AppTest."""
    from kooperacja.model.access import PAGE_ROLES  # the pages in menu order (ui.nav.PAGES has the same keys)

    with _app_env(path, today):
        _run_page(FLOOR_PAGE, "admin", 1)  # streamlit's own first-run costs are not the floor's
        floor = _run_page(FLOOR_PAGE, "admin", repeat)
        pages = []
        for name, roles in PAGE_ROLES.items():
            for role in ROLE_USERS:
                if role not in roles:
                    continue
                result = _run_page(f"from pages.{name} import render\nrender()\n", role, repeat)
                pages.append({"page": name, **result})
                if result["median_ms"] is None:
                    say(f"  strona {name:<12} {role:<9} BŁĄD: {result['error'][:120]}")
                    continue
                say(
                    f"  strona {name:<12} {role:<9} {result['median_ms']:>8.1f} ms "
                    f"(pierwszy raz {result['first_ms']:.0f} ms)"
                )
    return {"floor": floor, "pages": pages}


# --- the first page after a write ----------------------------------------------------------------

# (page, role, scope of the write): the write a user of that page typically makes before coming back.
AFTER_WRITE = [
    ("przeglad", "admin", "programme"),
    ("alerty", "admin", "programme"),
    ("gmina", "animator", "programme"),
    ("sprawy", "admin", "cases"),
]
AFTER_WRITE_TIMES = 3  # writes, each followed by one timed run


def audited_write(cur: duckdb.DuckDBPyConnection, scope: str, n: int) -> None:
    """A real audited correction (`store.update` with a reason): a step event's note of animator1's
    first gmina (scope "programme") or a monthly report's note (scope "cases")."""
    from kooperacja.model.records import MonthlyReport, StepEvent
    from kooperacja.warehouse import store

    if scope == "programme":
        sql = (
            "SELECT event_id FROM step_event WHERE terc = (SELECT min(terc) FROM pilot_gmina "
            "WHERE animator = 'animator1') ORDER BY event_id LIMIT 1"
        )
        cls: Any = StepEvent
    else:
        sql = "SELECT min(report_id) FROM monthly_report"
        cls = MonthlyReport
    key = cur.execute(sql).fetchall()[0][0]
    with warehouse.transaction(cur) as tx:
        store.update(tx, "admin", cls, key, {"note": f"Poprawka pomiaru {n}"}, reason="Pomiar wydajności")


def time_after_write(path: str, today: date, repeat: int, say: Callable[[str], None] = print) -> list[dict]:
    """Per AFTER_WRITE page: its warm rerun (median of `repeat`) and the run right after an audited write
    of the scope named (median of AFTER_WRITE_TIMES), on a copy of the warehouse."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "written.duckdb"
        shutil.copy(path, copy)
        with _app_env(str(copy), today):
            for name, role, scope in AFTER_WRITE:
                at = _app_test(f"from pages.{name} import render\nrender()\n", role)

                def run(at: Any = at) -> None:
                    at.run()
                    if at.exception:
                        raise RuntimeError(at.exception[0].message)

                _, warm_runs, _ = _timed(run, repeat)
                # the same settings as the app's connection: DuckDB hands out the same database
                writer = warehouse.connect(copy, create=False)
                after = []
                for n in range(AFTER_WRITE_TIMES):
                    audited_write(writer, scope, n)
                    start = time.perf_counter()
                    run()
                    after.append(_ms(time.perf_counter() - start))
                writer.close()
                warm, written = statistics.median(warm_runs), statistics.median(after)
                out.append(
                    {
                        "page": name,
                        "role": role,
                        "write": scope,
                        "warm_ms": warm,
                        "after_write_ms": written,
                        "after_write_runs_ms": after,
                        "ratio": round(written / warm, 2) if warm else None,
                    }
                )
                say(f"  po zapisie ({scope}) {name:<10} {written:>8.1f} ms, ciepła {warm:.1f} ms")
    return out


# --- warehouse queries --------------------------------------------------------------------------


def _context(conn: duckdb.DuckDBPyConnection, today: date) -> dict[str, Any]:
    from kooperacja.model.access import Actor

    gminy = frozenset(
        r[0] for r in conn.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator1'").fetchall()
    )
    terc = min(gminy) if gminy else conn.execute("SELECT min(terc) FROM pilot_gmina").fetchall()[0][0]
    start = warehouse.get_setting(conn, "programme_start")
    return {
        "today": today,
        "terc": terc,
        "admin": Actor("admin", "admin"),
        "zarzad": Actor("zarzad", "zarzad"),
        "programme_start": date.fromisoformat(start) if start else None,
    }


def queries_behind_pages() -> list[tuple[str, str, Callable[[duckdb.DuckDBPyConnection, dict], Any]]]:
    """(name, page, call) of every read a page makes of the warehouse."""
    from kooperacja import lku, wzk
    from kooperacja.accounts import users
    from kooperacja.cases import stats as case_stats
    from kooperacja.programme import alerts, pzk, queries
    from kooperacja.report import effects as report
    from kooperacja.territory import geo
    from kooperacja.warehouse import history as audit

    def overview_map(c: duckdb.DuckDBPyConnection, x: dict) -> Any:
        tercs = list(c.execute("SELECT terc FROM pilot_gmina").df().terc)
        return geo.boundaries_geojson(c, geo.region_terc6(c, tercs) + [t[:6] for t in tercs])

    return [
        ("users.credentials", "wszystkie", lambda c, x: users.credentials(c)),
        ("queries.list_pilot_gminy", "wszystkie", lambda c, x: queries.list_pilot_gminy(c)),
        ("queries.region_overview", "przeglad", lambda c, x: queries.region_overview(c, x["today"])),
        (
            "alerts.list_alerts",
            "przeglad/alerty/gmina",
            lambda c, x: alerts.list_alerts(c, x["today"], programme_start=x["programme_start"]),
        ),
        ("geo.boundaries_geojson", "przeglad", overview_map),
        ("queries.gmina_plans(region)", "raport", lambda c, x: queries.gmina_plans(c, x["today"])),
        ("queries.gmina_plans(gmina)", "gmina", lambda c, x: queries.gmina_plans(c, x["today"], x["terc"])),
        ("queries.step_events", "gmina", lambda c, x: queries.step_events(c, x["terc"])),
        ("queries.zgloszenia", "gmina", lambda c, x: queries.zgloszenia(c, x["terc"], x["today"])),
        ("queries.pzk_on", "gmina", lambda c, x: queries.pzk_on(c, x["terc"], x["today"])),
        ("pzk.list_members", "pzk", lambda c, x: pzk.list_members(c, x["terc"])),
        ("pzk.membership_history", "pzk", lambda c, x: pzk.membership_history(c, x["terc"])),
        ("pzk.coverage_matrix", "pzk", lambda c, x: pzk.coverage_matrix(c, x["today"])),
        ("case_stats.list_cases(region)", "sprawy", lambda c, x: case_stats.list_cases(c, x["admin"])),
        (
            "case_stats.list_cases(gmina)",
            "sprawy",
            lambda c, x: case_stats.list_cases(c, x["admin"], x["terc"]),
        ),
        ("case_stats.funnel", "sprawy", lambda c, x: case_stats.funnel(c, x["admin"])),
        ("case_stats.time_to_plan", "sprawy", lambda c, x: case_stats.time_to_plan(c, x["admin"])),
        (
            "case_stats.report_completeness",
            "sprawy",
            lambda c, x: case_stats.report_completeness(c, x["admin"], x["today"]),
        ),
        (
            "case_stats.overdue_meetings",
            "sprawy",
            lambda c, x: case_stats.overdue_meetings(c, x["admin"], x["today"]),
        ),
        (
            "case_stats.notice_breaches",
            "sprawy",
            lambda c, x: case_stats.notice_breaches(c, x["admin"], x["today"]),
        ),
        ("case_stats.task_sectors", "sprawy", lambda c, x: case_stats.task_sectors(c, x["admin"])),
        ("lku.search", "uslugi", lambda c, x: lku.search(c, lku.ServiceFilter(on=x["today"]))),
        ("lku.gaps", "uslugi", lambda c, x: lku.gaps(c, x["today"])),
        ("wzk.list_members", "wzk", lambda c, x: wzk.list_members(c, x["today"])),
        ("wzk.list_meetings", "wzk", lambda c, x: wzk.list_meetings(c)),
        ("wzk.list_recommendations", "wzk", lambda c, x: wzk.list_recommendations(c)),
        ("wzk.meeting_slides", "wzk", lambda c, x: wzk.meeting_slides(c, x["zarzad"], x["today"])),
        ("report.effects(region)", "raport", lambda c, x: report.effects(c, x["zarzad"], x["today"])),
        ("audit.list_changes", "historia", lambda c, x: audit.list_changes(c, x["admin"])),
    ]


def time_queries(
    conn: duckdb.DuckDBPyConnection, today: date, repeat: int, say: Callable[[str], None] = print
) -> list[dict[str, Any]]:
    ctx = _context(conn, today)
    out = []
    for name, page, call in queries_behind_pages():
        first, runs, result = _timed(functools.partial(call, conn, ctx), repeat)
        rows = len(result) if hasattr(result, "__len__") else None
        out.append(
            {
                "query": name,
                "page": page,
                "first_ms": first,
                "median_ms": statistics.median(runs),
                "rows": rows,
            }
        )
        say(f"  zapytanie {name:<34} {out[-1]['median_ms']:>8.1f} ms")
    return out


# --- the same results the naive way, with pandas ------------------------------------------------


def _naive_region_figures(t: dict[str, pd.DataFrame], today: date) -> pd.DataFrame:
    day = pd.Timestamp(today)
    m = t["pzk_member"]
    live = m[(m.signed_on <= day) & (m.left_on.isna() | (m.left_on > day))]
    live = live.merge(t["institution"][["institution_id", "sector"]], on="institution_id")
    c = t["case_file"]
    out = pd.DataFrame({"terc": t["pilot_gmina"].terc})
    for name, series in {
        "pzk_members": live.groupby("terc").size(),
        "pzk_sectors": live.groupby("terc").sector.nunique(),
        "cases_open": c[c.closed_on.isna()].groupby("terc").size(),
        "cases_closed": c[c.closed_on.notna()].groupby("terc").size(),
    }.items():
        out[name] = out.terc.map(series).fillna(0).astype("int64")
    return out


def _naive_missing_reports(t: dict[str, pd.DataFrame], today: date) -> pd.DataFrame:
    from kooperacja.model import rules

    day = pd.Timestamp(today)
    since = pd.Timestamp(rules.add_months(today.replace(day=1), -3))
    c = t["case_file"]
    c = c[c.plan_on.notna() & (c.closed_on.isna() | (c.closed_on >= since))]
    tasks = t["case_task"].merge(c[["case_code", "terc", "plan_on", "closed_on"]], on="case_code")
    tasks = tasks.merge(t["institution"][["institution_id", "name"]], on="institution_id")
    first = tasks.plan_on.where(tasks.plan_on > since, since).dt.to_period("M").dt.to_timestamp()
    end = tasks.done_on.fillna(tasks.closed_on).fillna(day)
    last = end.where(end < day, day).dt.to_period("M").dt.to_timestamp()
    tasks = tasks.assign(first=first, last=last)
    tasks = tasks[tasks["first"] <= tasks["last"]]
    tasks["month"] = [
        list(pd.date_range(a, b, freq="MS")) for a, b in zip(tasks["first"], tasks["last"], strict=True)
    ]
    due = tasks.explode("month")
    due = due[due.month + pd.DateOffset(months=1) <= day]
    reports = t["monthly_report"][["task_id", "month"]].assign(reported=True)
    due = due.merge(reports, on=["task_id", "month"], how="left")
    running = due.closed_on.isna() | (due.closed_on > day)  # a closed case's reports end at closure
    missing = due[due.reported.isna() & running].rename(columns={"name": "institution"})
    counts = missing.groupby(["case_code", "terc", "institution_id", "institution", "month"]).size()
    found = counts.reset_index(name="tasks")
    due_on = found["month"] + pd.DateOffset(months=1) - pd.Timedelta(days=1)
    return found.assign(due_on=due_on)[
        ["case_code", "terc", "institution_id", "institution", "month", "due_on", "tasks"]
    ]


def _naive_case_rows(t: dict[str, pd.DataFrame], today: date) -> pd.DataFrame:
    """The Sprawy list (`case_stats.list_cases`: its columns, stage and label, newest first) from the
    loaded tables, the counts the stage needs counted from the reports and services."""
    import numpy as np

    from kooperacja.cases.core import STAGE_LABELS
    from kooperacja.cases.stats import LIST_COLUMNS

    services = t["case_service"].groupby("case_code").size().rename("services")
    task_reports = t["monthly_report"].merge(t["case_task"][["task_id", "case_code"]], on="task_id")
    reports = task_reports.groupby("case_code").size().rename("reports")
    out = t["case_file"].merge(t["gmina"][["terc", "name"]], on="terc", how="left")
    out = out.rename(columns={"name": "gmina"}).join(services, on="case_code").join(reports, on="case_code")
    delivered = out.plan_on.notna() & ((out.services.fillna(0) > 0) | (out.reports.fillna(0) > 0))
    out["stage"] = np.select(
        [out.closed_on.notna(), out.evaluated_on.notna(), delivered, out.contract_kind.notna(),
         out.plan_on.notna(), out.diagnosed_on.notna()],
        ["closed", "evaluated", "delivery", "contract", "plan", "diagnosed"],
        "referred",
    )  # fmt: skip
    out["stage_label"] = out.stage.map(STAGE_LABELS)
    out = out.sort_values(["referred_on", "case_code"], ascending=[False, True], ignore_index=True)
    return out[list(LIST_COLUMNS)]


def naive_pandas(conn: duckdb.DuckDBPyConnection, today: date, repeat: int) -> dict[str, Any]:
    """Three heavy reads done in SQL and again with pandas over the tables loaded into memory."""
    from kooperacja.cases import stats as case_stats
    from kooperacja.model import rules
    from kooperacja.model.access import SYSTEM
    from kooperacja.programme import alerts, queries

    tables = [
        "pilot_gmina",
        "pzk_member",
        "institution",
        "case_file",
        "case_task",
        "monthly_report",
        "case_service",
        "gmina",
    ]
    start = time.perf_counter()
    loaded = {name: conn.execute(f"SELECT * FROM {name}").df() for name in tables}
    load_s = time.perf_counter() - start
    since = rules.add_months(today.replace(day=1), -3)
    pairs = {
        "region_figures (przeglad)": (
            lambda: conn.execute(queries.REGION_FIGURES, {"today": today}).df(),
            lambda: _naive_region_figures(loaded, today),
            ["terc"],
        ),
        "missing_reports (alerty)": (
            lambda: conn.execute(alerts.MISSING_REPORTS, {"today": today, "since": since}).df(),
            lambda: _naive_missing_reports(loaded, today),
            ["case_code", "institution", "month"],
        ),
        # the list as the Sprawy page reads it (Arrow; the 9 columns it shows), against the same list in
        # pandas (until perf5 the SQL side was `.df()` of the card's 21 columns, a conversion the app
        # never does, against pandas building those 21 columns)
        "case_rows (sprawy)": (
            lambda: case_stats.list_cases(conn, SYSTEM),
            lambda: _naive_case_rows(loaded, today),
            None,
        ),
    }
    out = []
    for name, (sql, naive, key) in pairs.items():
        _, sql_runs, sql_result = _timed(sql, repeat)
        _, pd_runs, pd_result = _timed(naive, max(1, min(repeat, 3)))
        same = _same(sql_result, pd_result, key)
        sql_ms, pd_ms = statistics.median(sql_runs), statistics.median(pd_runs)
        out.append(
            {
                "query": name,
                "sql_ms": sql_ms,
                "pandas_ms": pd_ms,
                "ratio": round(pd_ms / sql_ms, 1) if sql_ms else None,
                "same_result": same,
                "rows": len(sql_result),
            }
        )
    return {"load_s": round(load_s, 2), "queries": out}


def _same(a: pd.DataFrame, b: pd.DataFrame, key: list[str] | None) -> bool:
    if len(a) != len(b):
        return False
    if key:
        a = a.sort_values(key, ignore_index=True)
        b = b.sort_values(key, ignore_index=True)
    for col in a.columns:
        if col not in b.columns:
            continue
        x, y = a[col].reset_index(drop=True), b[col].reset_index(drop=True)
        if pd.api.types.is_datetime64_any_dtype(x) or pd.api.types.is_datetime64_any_dtype(y):
            x, y = pd.to_datetime(x).astype("datetime64[us]"), pd.to_datetime(y).astype("datetime64[us]")
        if _values(x) != _values(y):
            return False
    return True


def _values(column: pd.Series) -> list[Any]:
    return column.astype(object).where(column.notna(), None).tolist()


# --- import, export, PDF ------------------------------------------------------------------------

EVENT_HEADERS = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "Uwagi"]


def time_exchange(path: str, today: date, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Export of every registry, then a 10,000-row XLSX import, on a copy of the warehouse."""
    from kooperacja.exchange import workbook as exchange
    from kooperacja.exchange.mapping import REGISTRIES
    from kooperacja.model import xlsx as export
    from kooperacja.model.access import Actor

    out: dict[str, Any] = {"export": []}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copy(path, copy)
        conn = warehouse.connect(copy)
        try:
            for table in REGISTRIES:
                rows = conn.execute(f"SELECT count(*) FROM {warehouse.ident(table)}").fetchall()[0][0]
                start = time.perf_counter()
                if rows <= EXPORT_MAX_ROWS:
                    data = exchange.export_registries(conn, [table])
                    timed_rows = rows
                else:  # a million monthly reports do not fit one sheet; time the first rows and scale
                    frame = exchange.registry_frame(conn, table).head(EXPORT_MAX_ROWS)
                    data = export.to_xlsx(frame)
                    timed_rows = EXPORT_MAX_ROWS
                elapsed = time.perf_counter() - start
                out["export"].append(
                    {
                        "registry": table,
                        "rows": rows,
                        "timed_rows": timed_rows,
                        "ms": _ms(elapsed),
                        "bytes": len(data),
                    }
                )
                counted = plural(rows, "wiersz", "wiersze", "wierszy")
                say(f"  eksport {table:<16} {counted:>15} {elapsed:7.2f} s")
            # the gmina in the pilot longest: the import refuses events before a gmina joined
            terc = conn.execute("SELECT terc FROM pilot_gmina ORDER BY joined_on, terc LIMIT 1").fetchall()[
                0
            ][0]
            rows = [
                # January to October: the import refuses events in the future, as the form does
                [terc, "7.2", "started", date(2026, 1 + i % 10, 1 + i % 28), "admin", f"wiersz {i}"]
                for i in range(IMPORT_ROWS)
            ]
            data = export.to_xlsx(pd.DataFrame(rows, columns=EVENT_HEADERS), sheet_name="Zdarzenia kroków")
            start = time.perf_counter()
            parsed = exchange.parse_file(data, "import.xlsx")
            parsed_at = time.perf_counter()
            result = exchange.apply_import(conn, Actor("admin", "admin"), parsed)
            done = time.perf_counter()
            out["import"] = {
                "rows": IMPORT_ROWS,
                "bytes": len(data),
                "written": sum(result.written.values()),
                "errors": len(result.errors),
                "parse_s": round(parsed_at - start, 2),
                "write_s": round(done - parsed_at, 2),
                "total_s": round(done - start, 2),
            }
            say(f"  import {_of_rows(IMPORT_ROWS)} XLSX {done - start:.2f} s")
            out["update"] = _time_update(conn, Actor("admin", "admin"))
            say(f"  ponowny import {_of_rows(IMPORT_ROWS)} jako zmian XLSX {out['update']['total_s']:.2f} s")
        finally:
            conn.close()
    return out


def _time_update(conn: duckdb.DuckDBPyConnection, actor: Any) -> dict[str, Any]:
    """The rows just imported, exported as the export writes them (labels, the stamp), each one's note
    edited, and read back: IMPORT_ROWS updates, compared field by field, checked and written."""
    from kooperacja.exchange import workbook as exchange
    from kooperacja.exchange.apply import stamp
    from kooperacja.model import xlsx as export

    frame = exchange.labelled_frame(conn, "step_event")
    frame = frame[frame["Uwagi"].astype(str).str.startswith("wiersz ")].head(IMPORT_ROWS).copy()
    frame["Uwagi"] = frame["Uwagi"] + " — poprawione"
    guide = exchange.guide(["step_event"], stamp(conn.cursor()))
    data = export.to_xlsx({exchange.GUIDE: guide, "Zdarzenia kroków": frame})
    start = time.perf_counter()
    parsed = exchange.parse_file(data, "zmiany.xlsx")
    parsed_at = time.perf_counter()
    result = exchange.apply_import(conn, actor, parsed)
    done = time.perf_counter()
    return {
        "rows": len(frame),
        "bytes": len(data),
        "updated": sum(result.updated.values()),
        "errors": len(result.errors),
        "parse_s": round(parsed_at - start, 2),
        "write_s": round(done - parsed_at, 2),
        "total_s": round(done - start, 2),
    }


def time_pdf(conn: duckdb.DuckDBPyConnection, today: date, repeat: int) -> dict[str, Any]:
    from kooperacja.model.access import Actor
    from kooperacja.report import effects as report

    def make() -> bytes:
        return report.to_pdf(report.effects(conn, Actor("zarzad", "zarzad"), today))

    first, runs, data = _timed(make, max(1, min(repeat, 3)))
    return {"first_ms": first, "median_ms": statistics.median(runs), "bytes": len(data)}


# --- the whole run ------------------------------------------------------------------------------


def bench_scale(
    scale: str,
    today: date,
    repeat: int,
    browser: bool,
    directory: Path | None = None,
    say: Callable[[str], None] = print,
    exchange: bool = True,
) -> dict[str, Any]:
    started = time.perf_counter()
    built = ensure_warehouse(scale, today, directory, say)
    path = built["path"]
    result: dict[str, Any] = {"scale": scale, "warehouse": built}
    say(f"[{scale}] strony (AppTest, mediana z {repeat} po rozgrzewce)…")
    result.update(time_pages(path, today, repeat, say))
    say(f"[{scale}] pierwsza strona po zapisie…")
    result["after_write"] = time_after_write(path, today, repeat, say)
    conn = warehouse.connect(path, read_only=True)
    try:
        say(f"[{scale}] zapytania…")
        result["queries"] = time_queries(conn, today, repeat, say)
        say(f"[{scale}] pandas dla porównania…")
        result["naive"] = naive_pandas(conn, today, repeat)
        say(f"[{scale}] raport PDF…")
        result["pdf"] = time_pdf(conn, today, repeat)
    finally:
        conn.close()
    if exchange:
        say(f"[{scale}] eksport i import XLSX…")
        result["exchange"] = time_exchange(path, today, say)
    if browser:
        from kooperacja.bench.browser import time_browser

        say(f"[{scale}] przeglądarka (Chromium)…")
        result["browser"] = time_browser(path, today, say)
    result["peak_rss_mb"] = round(_status_kb("VmHWM") / 1024, 1)
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def run(
    scales: list[str],
    today: date | None = None,
    repeat: int = 5,
    browser: bool = False,
    directory: Path | None = None,
    say: Callable[[str], None] = print,
    exchange: bool = True,
    quiet: bool = False,
) -> dict[str, Any]:
    """The whole benchmark; `quiet`: no progress lines and no Streamlit log (only the tables printed)."""
    started = time.perf_counter()
    today = today or date.today()
    if quiet:
        say = _silence()
    out: dict[str, Any] = {
        "command": "python -m kooperacja " + " ".join(sys.argv[1:]) if sys.argv else "",
        "today": today.isoformat(),
        "repeat": repeat,
        "machine": machine(),
        "scales": {},
    }
    try:
        for scale in scales:
            out["scales"][scale] = bench_scale(scale, today, repeat, browser, directory, say, exchange)
            out["scales"][scale]["targets"] = targets(out["scales"][scale])
    finally:
        if quiet:
            logging.disable(logging.NOTSET)
    out["ratios"] = _ratios(out["scales"])
    out["elapsed_s"] = round(time.perf_counter() - started, 1)
    return out


def _silence() -> Callable[[str], None]:
    """No log record below ERROR, from any logger (Streamlit's reset their own levels whenever its
    config is read, as AppTest does: "missing ScriptRunContext" and the like), and a progress printer
    that prints nothing."""
    logging.disable(logging.WARNING)
    return lambda _message: None


# Named reads with their own target (ms); every other query: QUERY_MS.
QUERY_MS, QUERY_MS_OF = 50, {"wzk.meeting_slides": 100, "report.effects(region)": 100}
AFTER_WRITE_RATIO, EXPORT_S, PDF_MS, SERVED_RSS_MB, OVERVIEW_IDLE_MS, PANDAS_RATIO = 2, 15, 2000, 500, 1000, 5


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 16 as a row: what, the figure, met or not."""
    rows: list[dict[str, Any]] = []

    def row(target: str, figure: str, met: bool | None) -> None:
        rows.append({"target": target, "figure": figure, "met": met})

    floor = r["floor"]["median_ms"]
    limit = 2 * floor + 150
    timed = [p for p in r["pages"] if p["median_ms"] is not None]
    over = [p for p in timed if p["median_ms"] > limit]
    worst = ", ".join(f"{p['page']}/{p['role']} {p['median_ms']:.0f}" for p in over[:6])
    row(
        f"każda strona ≤ 2×floor + 150 ms ({limit:.0f} ms), ciepła",
        f"{len(timed) - len(over)} z {len(r['pages'])}" + (f"; ponad: {worst}" if worst else ""),
        not over and len(timed) == len(r["pages"]),
    )
    for a in r.get("after_write", []):
        row(
            f"{a['page']} ({a['role']}) po zapisie ({a['write']}) ≤ {AFTER_WRITE_RATIO}× ciepłej",
            f"{a['after_write_ms']:.0f} ms / {a['warm_ms']:.0f} ms = {a['ratio']}×",
            a["ratio"] is not None and a["ratio"] <= AFTER_WRITE_RATIO,
        )
    slow = [q for q in r["queries"] if q["median_ms"] > QUERY_MS_OF.get(q["query"], QUERY_MS)]
    row(
        f"każde zapytanie ≤ {QUERY_MS} ms (slajdy WZK i raport ≤ 100 ms)",
        f"{len(r['queries']) - len(slow)} z {len(r['queries'])}"
        + ("; ponad: " + ", ".join(f"{q['query']} {q['median_ms']:.0f}" for q in slow) if slow else ""),
        not slow,
    )
    for q in r["naive"]["queries"]:
        row(
            f"{q['query']}: SQL ≥ {PANDAS_RATIO}× szybciej niż pandas",
            f"{q['ratio']}×",
            (q["ratio"] or 0) >= PANDAS_RATIO,
        )
    ex = r.get("exchange")
    if ex:
        total = sum(e["ms"] for e in ex["export"]) / 1000
        row(f"eksport rejestrów razem ≤ {EXPORT_S} s", f"{total:.1f} s", total <= EXPORT_S)
        row(
            f"import {_of_rows(ex['import']['rows'])} ≤ {UPDATE_TARGET_S:.0f} s",
            f"{ex['import']['total_s']} s",
            ex["import"]["total_s"] <= UPDATE_TARGET_S,
        )
    row(
        f"PDF raportu ≤ {PDF_MS / 1000:.0f} s",
        f"{r['pdf']['median_ms']:.0f} ms",
        r["pdf"]["median_ms"] <= PDF_MS,
    )
    b = r.get("browser", {})
    overview = next((p for p in b.get("pages", []) if p["page"] == "przeglad"), None)
    if overview:
        row(
            f"przegląd w Chromium bezczynny ≤ {OVERVIEW_IDLE_MS / 1000:.0f} s",
            f"{overview['idle_ms']} ms",
            overview["idle_ms"] <= OVERVIEW_IDLE_MS,
        )
    tour = b.get("tour")
    if tour:
        row(
            f"RSS serwowanej aplikacji ≤ {SERVED_RSS_MB} MB po każdej stronie jako każda rola",
            f"{tour['server_peak_rss_mb']:.0f} MB ({_visits(len(tour['visits']))})",
            tour["server_peak_rss_mb"] <= SERVED_RSS_MB,
        )
    return rows


def _ratios(scales: dict[str, Any]) -> list[dict[str, Any]]:
    if not {"pilot", "national"} <= set(scales):
        return []
    pilot = {(p["page"], p["role"]): p["median_ms"] for p in scales["pilot"]["pages"]}
    out = []
    for p in scales["national"]["pages"]:
        base = pilot.get((p["page"], p["role"]))
        if base and p["median_ms"]:
            out.append({"page": p["page"], "role": p["role"], "ratio": round(p["median_ms"] / base, 2)})
    return out


# --- the printed table --------------------------------------------------------------------------


def format_table(results: dict[str, Any]) -> str:
    lines = []
    for scale, r in results["scales"].items():
        floor = r["floor"]["median_ms"]
        wh = r["warehouse"]
        lines.append(
            f"\n=== {scale}: hurtownia {wh.get('file_mb')} MB, budowa {wh.get('build_s')} s, "
            f"{wh.get('rows', {}).get('pilot_gmina')} gmin ==="
        )
        lines.append(
            f"{'strona':<12} {'rola':<9} {'mediana ms':>10} {'-floor':>8} {'/floor':>7} "
            f"{'1. raz ms':>9} {'RSS MB':>7}  cel ≤2×floor+150"
        )
        lines.append(f"{'(floor)':<12} {'':<9} {floor:>10.1f}")
        for p in r["pages"]:
            if p["median_ms"] is None:
                lines.append(f"{p['page']:<12} {p['role']:<9} BŁĄD: {p['error'][:80]}")
                continue
            ok = p["median_ms"] <= 2 * floor + 150
            med = p["median_ms"]
            lines.append(
                f"{p['page']:<12} {p['role']:<9} {med:>10.1f} {med - floor:>8.1f} {med / floor:>7.2f} "
                f"{p['first_ms']:>9.0f} {p['peak_rss_mb']:>7.0f}  {'ok' if ok else 'PONAD'}"
            )
        lines.append(f"\n{'zapytanie':<36} {'strona':<22} {'mediana ms':>10}  cel ≤50 ms")
        for q in r["queries"]:
            lines.append(
                f"{q['query']:<36} {q['page']:<22} {q['median_ms']:>10.1f}  "
                f"{'ok' if q['median_ms'] <= 50 else 'PONAD'}"
            )
        lines.append(f"\n{'SQL a pandas':<28} {'SQL ms':>8} {'pandas ms':>10} {'×':>6}  wynik")
        for q in r["naive"]["queries"]:
            lines.append(
                f"{q['query']:<28} {q['sql_ms']:>8.1f} {q['pandas_ms']:>10.1f} {q['ratio']:>6} "
                f"{'ten sam' if q['same_result'] else 'RÓŻNY'}"
            )
        ex = r.get("exchange")
        if ex:
            verdict = "ok" if ex["update"]["total_s"] <= UPDATE_TARGET_S else f"PONAD {UPDATE_TARGET_S} s"
            lines.append(
                f"\nimport {_of_rows(ex['import']['rows'])} XLSX: {ex['import']['total_s']} s; ponownie jako "
                f"zmiany: {ex['update']['total_s']} s ({verdict})"
            )
            lines.append(
                "eksport: " + ", ".join(f"{e['registry']} {e['ms'] / 1000:.1f} s" for e in ex["export"])
            )
        lines.append(f"\nPDF: {r['pdf']['median_ms']:.0f} ms; szczyt RSS procesu: {r['peak_rss_mb']} MB")
        if r.get("after_write"):
            lines.append(
                f"\n{'po zapisie':<12} {'rola':<9} {'zapis':<10} {'ciepła ms':>10} "
                f"{'po zapisie ms':>14} {'×':>6}"
            )
            for a in r["after_write"]:
                lines.append(
                    f"{a['page']:<12} {a['role']:<9} {a['write']:<10} {a['warm_ms']:>10.1f} "
                    f"{a['after_write_ms']:>14.1f} {a['ratio']:>6}"
                )
        for b in r.get("browser", {}).get("pages", []):
            lines.append(
                f"przeglądarka {b['page']:<8} bezczynna po {b['idle_ms']:.0f} ms, "
                f"{b['bytes'] / 2**20:.2f} MB (websocket {b['ws_bytes'] / 2**20:.2f} MB), "
                f"RSS serwera {b.get('server_peak_rss_mb')} MB"
            )
        tour = r.get("browser", {}).get("tour")
        if tour:
            lines.append(
                f"przeglądarka: każda strona jako każda rola ({_visits(len(tour['visits']))}), "
                f"szczyt RSS serwera {tour['server_peak_rss_mb']} MB"
            )
        if r.get("targets"):
            lines.append(f"\n{'cel':<70} {'wynik':<40} spełniony")
            for t in r["targets"]:
                lines.append(f"{t['target']:<70} {t['figure']:<40} {'tak' if t['met'] else 'NIE'}")
        lines.append(f"[{scale}] czas: {r['elapsed_s']} s")
    if results.get("ratios"):
        lines.append(
            "\nkraj / pilotaż (mediany stron): "
            + ", ".join(f"{x['page']}/{x['role']} {x['ratio']}" for x in results["ratios"])
        )
    lines.append(f"\nRazem: {results['elapsed_s']} s")
    return "\n".join(lines)
