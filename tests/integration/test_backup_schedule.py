"""Backups made by the running app: today's backup once a day, rotation, the daily thread, admin only."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.warehouse import backup, backup_schedule


def test_the_daily_backup_is_made_once_a_day(conn, tmp_path):
    folder = tmp_path / "backups"
    first = backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 9, 0))
    assert first is not None and first.name == "kooperacja-2026-11-24-0900.zip"
    assert backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 10, 0)) is None
    assert backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 25, 9, 0)) is not None
    assert backup.verify(first) == []


def test_rotation_keeps_the_newest_backups(conn, tmp_path):
    folder = tmp_path / "backups"
    for day in range(1, 6):
        backup_schedule.ensure_daily(conn, folder, 3, datetime(2026, 11, day, 2, 30))
        time.sleep(0.01)  # distinct modification times
    names = [b.path.name for b in backup_schedule.list_backups(folder)]
    assert names == [f"kooperacja-2026-11-0{d}-0230.zip" for d in (5, 4, 3)]


def test_the_daily_thread_backs_up_on_start_and_stops_cleanly(conn, tmp_path):
    folder = tmp_path / "backups"
    thread = backup_schedule.start_daily(conn, folder, 7, interval=0.05)
    deadline = time.monotonic() + 10
    while not thread.made and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backup_schedule.running(folder) is thread
    thread.stop()
    assert not thread.is_alive() and thread.conn is None
    assert len(thread.made) == 1 and thread.failures == []  # later checks found today's backup
    assert backup_schedule.running(folder) is None


def test_only_an_admin_backs_up_from_the_app(conn, tmp_path):
    with pytest.raises(AccessDenied):
        backup_schedule.backup_now(conn, Actor("animator1", "animator"), tmp_path, 7)
    made = backup_schedule.backup_now(conn, Actor("admin", "admin"), tmp_path, 7)
    assert made.exists()


def test_the_backup_folder_is_beside_the_warehouse_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv(backup_schedule.DIR_ENV, raising=False)
    assert backup_schedule.backup_dir(tmp_path / "k.duckdb") == tmp_path / "backups"
    monkeypatch.setenv(backup_schedule.DIR_ENV, str(tmp_path / "gdzie-indziej"))
    assert backup_schedule.backup_dir(tmp_path / "k.duckdb") == tmp_path / "gdzie-indziej"
