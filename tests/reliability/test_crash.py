"""A real process killed (SIGKILL) in the middle of a write: the warehouse reopens exactly as before."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kooperacja import warehouse
from tests.hostile.test_hostile_inputs import fingerprint
from tests.reliability_figures import record_figure

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_worker.py")


def _kill_at(db: Path, point: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(WORKER), str(db), point], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture
def db(demo_db, tmp_path):
    path = tmp_path / "crash.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.mark.parametrize("point", ["import", "meeting"])
def test_a_process_killed_mid_write_leaves_the_warehouse_as_before(db, point):
    conn = warehouse.connect(db)
    before = fingerprint(conn)
    conn.close()
    _kill_at(db, point)
    conn = warehouse.connect(db)  # reopening after the crash works (the log is replayed)
    try:
        assert fingerprint(conn) == before
        assert conn.execute("SELECT count(*) FROM step_event WHERE note LIKE 'awaria%'").fetchall() == [(0,)]
    finally:
        conn.close()
    record_figure("punkty awarii przetrwane (SIGKILL w trakcie zapisu)")


def test_a_write_committed_before_the_kill_survives_it(db):
    _kill_at(db, "committed")
    conn = warehouse.connect(db)
    try:
        found = conn.execute(
            "SELECT count(*) FROM institution WHERE name = 'Zapisane przed awarią'"
        ).fetchall()
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE after LIKE '%Zapisane przed awarią%'")
        assert found == [(1,)] and audited.fetchall() == [(1,)]
        assert warehouse.table_counts(conn)["institution"] > 0
    finally:
        conn.close()
    record_figure("punkty awarii przetrwane (SIGKILL w trakcie zapisu)")
