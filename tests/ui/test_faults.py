"""A full disk in the running app: a refused backup, and a warehouse DuckDB invalidated then reopened."""

from __future__ import annotations

import shutil
import sys
from collections import namedtuple
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from kooperacja import warehouse
from kooperacja.ui import errors, session
from tests.reliability.test_disk_full import file_size_limit

QUERY = """import streamlit as st
from kooperacja.ui import errors, session
from tests.reliability.test_disk_full import file_size_limit
with errors.guard():
    n = session.get_conn().execute("SELECT count(*) FROM app_user").fetchall()[0][0]
    st.write(f"konta: {n}")
"""
Usage = namedtuple("Usage", "total used free")


def invalidate(conn: duckdb.DuckDBPyConnection, db: Path) -> None:
    """What "Zrób kopię teraz" did on the nearly full disk: a CHECKPOINT that cannot write."""
    cur = conn.cursor()
    cur.execute("SET checkpoint_threshold = '1GB'")
    cur.execute("CREATE TABLE fill AS SELECT range AS i, repeat('x', 50) AS s FROM range(2000)")
    for k in range(20):
        cur.execute("UPDATE fill SET s = s || 'z' WHERE i % 3 = ?", [k % 3])
    with file_size_limit(db.stat().st_size + 4096), pytest.raises(duckdb.FatalException):
        cur.execute("CHECKPOINT")
    with pytest.raises(duckdb.FatalException, match="invalidated"):
        conn.cursor().execute("SELECT 1")


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE stands in for a full disk")
def test_an_invalidated_warehouse_is_reopened_on_the_next_run(app_db):
    at = AppTest.from_string(QUERY, default_timeout=30).run()
    assert [m.value for m in at.markdown] == ["konta: 5"]
    old = session._shared_connection(str(app_db.resolve()))
    invalidate(old, app_db)

    at.run()  # the run that meets the invalidated connection: told in Polish, the connection dropped
    assert not at.exception
    assert [e.value for e in at.error] == [errors.text(errors.REOPENED)]

    at.run()  # the next run, e.g. a new visitor's login page: a fresh connection, no restart needed
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["konta: 5"]
    assert session._shared_connection(str(app_db.resolve())) is not old


def test_a_session_whose_old_cursor_failed_keeps_the_connection_another_reopened(app_db):
    fresh = session.get_conn()  # a healthy cached connection
    assert session.drop_connection() is False
    fresh.execute("SELECT 1").fetchall()


def test_backup_now_refuses_in_polish_when_the_disk_has_no_room(page_test, monkeypatch):
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(real(p).total, real(p).total, 1024 * 1024))
    at = page_test("uzytkownicy", "admin").run()
    conn = session._shared_connection(str(warehouse.db_path().resolve()))
    assert conn.execute("SELECT count(*) FROM duckdb_databases()").fetchall()  # still usable
    at.button(key="kopia_teraz").click().run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and "Za mało miejsca na dysku na kopię zapasową" in shown[0], shown
    assert "Errno" not in shown[0] and "No space" not in shown[0]
    assert not list(Path(warehouse.db_path()).parent.glob("backups/*.zip"))
