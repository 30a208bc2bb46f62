"""The app itself when the warehouse is missing, locked, read-only or corrupt; failed logins; backups."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja.accounts import login_throttle
from kooperacja.warehouse import backup, backup_schedule
from tests.reliability_figures import record_figure

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def run_app(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("KOOPERACJA_DB", str(db))
    return AppTest.from_file(APP, default_timeout=30).run()


def assert_polish_error(at: AppTest, fragment: str) -> None:
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and fragment in at.error[0].value, [e.value for e in at.error]
    assert not at.button  # no login form, no page: just the message
    record_figure("stany hurtowni z czytelnym komunikatem w aplikacji")


def test_a_missing_warehouse_is_named_and_not_created(tmp_path, monkeypatch):
    db = tmp_path / "nie-ma.duckdb"
    assert_polish_error(run_app(db, monkeypatch), "Nie ma hurtowni danych w pliku")
    assert not db.exists()


def test_a_corrupted_warehouse_gives_a_polish_message(tmp_path, monkeypatch):
    db = tmp_path / "uszkodzona.duckdb"
    db.write_bytes(os.urandom(64 * 1024))
    assert_polish_error(run_app(db, monkeypatch), "uszkodzony")


def test_a_truncated_warehouse_gives_a_polish_message(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "ucieta.duckdb"
    db.write_bytes(demo_db.read_bytes()[: 300 * 1024])
    assert_polish_error(run_app(db, monkeypatch), "Odtwórz ją z kopii")


def test_a_warehouse_held_by_another_process_gives_a_polish_message(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "zajeta.duckdb"
    shutil.copy(demo_db, db)
    script = f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        assert_polish_error(run_app(db, monkeypatch), "otwarta przez inny proces")
    finally:
        holder.kill()
        holder.wait()


def test_a_read_only_disk_gives_a_polish_message(tmp_path, monkeypatch):
    # Tests run as root, whom chmod does not stop: DuckDB's error on a read-only disk is simulated.
    def read_only(path, *args, **kwargs):
        raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Read-only file system')

    monkeypatch.setattr(duckdb, "connect", read_only)
    db = tmp_path / "ro.duckdb"
    db.write_bytes(b"")
    assert_polish_error(run_app(db, monkeypatch), "Brak prawa zapisu")


@pytest.fixture
def app_copy(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("KOOPERACJA_BACKUP_DAILY", "0")
    return db


def _try_login(db: Path, monkeypatch, username: str, password: str) -> tuple[AppTest, float]:
    at = run_app(db, monkeypatch)
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    started = time.perf_counter()
    at.button(key="zaloguj").click().run()
    return at, time.perf_counter() - started


def test_a_failed_login_says_the_same_and_takes_as_long_for_known_and_unknown_users(app_copy, monkeypatch):
    times: dict[str, list[float]] = {}
    for user in ("animator1", "nie-ma-takiego", "animator1", "nie-ma-takiego"):
        login_throttle.LOGIN_THROTTLE.reset()
        at, took = _try_login(app_copy, monkeypatch, user, "zle-haslo")
        assert [e.value for e in at.error] == ["Nieprawidłowy login lub hasło."]
        times.setdefault(user, []).append(took)
    known, unknown = min(times["animator1"]), min(times["nie-ma-takiego"])
    assert abs(known - unknown) < max(0.5 * max(known, unknown), 0.15), times  # both pay one bcrypt check


def test_repeated_failed_logins_slow_down_but_the_right_password_still_works(app_copy, monkeypatch):
    monkeypatch.setattr(login_throttle.LOGIN_THROTTLE, "base", 0.2)
    for _ in range(3):
        _try_login(app_copy, monkeypatch, "admin", "zgaduje")
    assert login_throttle.LOGIN_THROTTLE.delay("login:admin") == pytest.approx(0.8)
    at, took = _try_login(app_copy, monkeypatch, "admin", "demo")
    assert took >= 0.8 and at.session_state["authentication_status"] is True
    assert login_throttle.LOGIN_THROTTLE.delay("login:admin") == 0


def test_the_admin_makes_a_backup_from_the_running_app_and_sees_it_listed(app_copy, monkeypatch):
    monkeypatch.setenv("KOOPERACJA_DB", str(app_copy))
    at = AppTest.from_string("from pages.uzytkownicy import render\nrender()\n", default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = "admin"
    at.session_state["roles"] = ["admin"]
    at.run()
    at.button(key="kopia_teraz").click().run()
    assert not at.exception
    assert any("Zapisano kopię" in s.value for s in at.success)
    files = backup_schedule.list_backups(app_copy.parent / "backups")
    assert len(files) == 1 and backup.verify(files[0].path) == []
    listed = [d.value for d in at.dataframe if "Plik" in d.value.columns]
    assert list(listed[0]["Plik"]) == [files[0].path.name]
