"""The benchmark runs end to end at a tiny scale, so that it cannot rot."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kooperacja.bench import core as bench
from kooperacja.cli import main
from kooperacja.model.access import PAGE_ROLES
from kooperacja.ui.nav import PAGES

pytestmark = pytest.mark.slow


def test_the_tiny_benchmark_times_every_page_query_and_file_operation(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path / "bench")
    monkeypatch.setattr(bench, "TINY_GMINY", 6)
    monkeypatch.setattr(bench, "IMPORT_ROWS", 300)  # 10,000 at the real scales: the test's wall time
    out = tmp_path / "wyniki.json"
    args = ["bench", "--scale", "tiny", "--repeat", "1", "--today", "2026-11-24", "--quiet"]
    args += ["--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr()
    assert "Razem:" in printed.out and "spełniony" in printed.out  # the tables, with the targets
    assert "[tiny] strony" not in printed.out  # --quiet: no progress lines
    assert "missing ScriptRunContext" not in printed.out + printed.err
    results = json.loads(out.read_text())
    tiny = results["scales"]["tiny"]
    assert results["machine"]["nproc"] >= 1 and results["machine"]["duckdb"]
    assert tiny["floor"]["median_ms"] > 0
    assert [p.get("error") for p in tiny["pages"] if p.get("error")] == []
    timed = {(p["page"], p["role"]) for p in tiny["pages"] if p["median_ms"] > 0 and p["peak_rss_mb"] > 0}
    expected = {(page, role) for page in PAGES for role in bench.ROLE_USERS if role in PAGE_ROLES[page]}
    assert timed == expected
    names = {name for name, _, _ in bench.queries_behind_pages()}
    assert {q["query"] for q in tiny["queries"] if q["median_ms"] > 0} == names
    assert all(q["same_result"] and q["pandas_ms"] > 0 for q in tiny["naive"]["queries"])
    assert len(tiny["naive"]["queries"]) == 3
    assert tiny["exchange"]["import"]["written"] == bench.IMPORT_ROWS
    assert (
        tiny["exchange"]["update"]["updated"] == bench.IMPORT_ROWS
        and not tiny["exchange"]["update"]["errors"]
    )
    assert all(e["ms"] > 0 and e["bytes"] > 0 for e in tiny["exchange"]["export"])
    # the first run after an audited write of the page's scope, beside the warm figure
    assert [(a["page"], a["write"]) for a in tiny["after_write"]] == [
        (page, scope) for page, _, scope in bench.AFTER_WRITE
    ]
    assert all(a["warm_ms"] > 0 and a["after_write_ms"] > 0 and a["ratio"] > 0 for a in tiny["after_write"])
    # each target a row: its figure and whether it is met
    assert {"every page", "after write", "query"} <= {_kind(t["target"]) for t in tiny["targets"]}
    assert all(t["figure"] and t["met"] in (True, False) for t in tiny["targets"])
    assert tiny["pdf"]["bytes"] > 1000 and tiny["warehouse"]["file_mb"] > 0
    # the next run on the same day reuses the warehouse (and reports its original build time)
    again = bench.ensure_warehouse("tiny", date(2026, 11, 24), say=lambda _m: None)
    assert again["reused"] and again["build_s"] == tiny["warehouse"]["build_s"]


def _kind(target: str) -> str:
    if target.startswith("każda strona"):
        return "every page"
    if "po zapisie" in target:
        return "after write"
    if target.startswith("każde zapytanie"):
        return "query"
    return "other"
