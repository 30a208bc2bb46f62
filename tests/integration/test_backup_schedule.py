"""Backups made by the running app: today's backup once a day, rotation, the daily thread, admin only."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.warehouse import backup, backup_schedule


def test_the_daily_backup_is_made_once_a_day(conn, tmp_path):
    folder = tmp_path / "backups"
    first = backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 9, 0))
    assert first is not None and first.name == "kooperacja-daily-2026-11-24.zip"
    assert backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 10, 0)) is None
    assert backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 25, 9, 0)) is not None
    assert backup.verify(first) == []


def test_rotation_keeps_the_newest_backups(conn, tmp_path):
    folder = tmp_path / "backups"
    for day in range(1, 6):
        backup_schedule.ensure_daily(conn, folder, 3, datetime(2026, 11, day, 2, 30))
    names = [b.path.name for b in backup_schedule.list_backups(folder)]
    assert names == [f"kooperacja-daily-2026-11-0{d}.zip" for d in (5, 4, 3)]


def test_manual_backups_never_delete_daily_ones(conn, tmp_path):
    folder = tmp_path / "backups"
    admin = Actor("admin", "admin")
    for day in range(1, 4):
        backup_schedule.ensure_daily(conn, folder, 3, datetime(2026, 11, day, 2, 30))
    for minute in range(5):  # five manual backups, each in a new minute of the same day
        backup_schedule.backup_now(conn, admin, folder, 2, datetime(2026, 11, 3, 10, minute, 5))
    listed = [(b.path.name, b.label) for b in backup_schedule.list_backups(folder)]
    assert listed == [
        ("kooperacja-manual-2026-11-03-100405.zip", "ręczna"),
        ("kooperacja-manual-2026-11-03-100305.zip", "ręczna"),
        ("kooperacja-daily-2026-11-03.zip", "dzienna"),
        ("kooperacja-daily-2026-11-02.zip", "dzienna"),
        ("kooperacja-daily-2026-11-01.zip", "dzienna"),
    ]
    backup_schedule.ensure_daily(conn, folder, 3, datetime(2026, 11, 4, 2, 30))  # days rotate by days
    kinds = [(b.path.name, b.kind) for b in backup_schedule.list_backups(folder)]
    assert ("kooperacja-daily-2026-11-01.zip", backup.DAILY) not in kinds and len(kinds) == 5


def test_a_manual_backup_does_not_stand_in_for_the_days_backup(conn, tmp_path):
    folder = tmp_path / "backups"
    backup_schedule.backup_now(conn, Actor("admin", "admin"), folder, 7, datetime(2026, 11, 24, 8, 0))
    made = backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 9, 0))
    assert made is not None and made.name == "kooperacja-daily-2026-11-24.zip"


def as_earlier_version(path):
    """The backup at `path` as an earlier version wrote it: a manifest without "kind" and "made_by"."""
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    manifest = json.loads(members[backup.MANIFEST])
    del manifest["kind"], manifest["made_by"]
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)


def test_earlier_versions_backups_are_rotated_only_among_themselves(conn, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        made = backup_schedule.ensure_daily(conn, tmp_path, 7, datetime(2026, 10, day, 2, 0))
        made.rename(folder / f"kooperacja-2026-10-0{day}-0200.zip")
    for name in (
        "kooperacja-2026-10-01-0200.zip",
        "kooperacja-2026-10-02-0200.zip",
        "kooperacja-2026-10-03-0200.zip",
    ):
        as_earlier_version(folder / name)
    backup_schedule.backup_now(conn, Actor("admin", "admin"), folder, 1, datetime(2026, 11, 1, 9, 0))
    assert len(backup_schedule.list_backups(folder)) == 4  # a manual backup leaves them alone
    backup_schedule.ensure_daily(conn, folder, 2, datetime(2026, 11, 2, 2, 0))
    assert [(b.path.name, b.label) for b in backup_schedule.list_backups(folder)] == [
        ("kooperacja-daily-2026-11-02.zip", "dzienna"),
        ("kooperacja-manual-2026-11-01-090000.zip", "ręczna"),
        ("kooperacja-2026-10-03-0200.zip", "ze starszej wersji"),
        ("kooperacja-2026-10-02-0200.zip", "ze starszej wersji"),
    ]


def test_a_foreign_file_under_the_days_name_is_not_overwritten_nor_counted(conn, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    foreign = folder / "kooperacja-daily-2026-11-24.zip"
    foreign.write_bytes(b"czyjas notatka")
    with pytest.raises(backup.BackupError, match="nie jest kopią zrobioną przez Kooperację"):
        backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 9, 0))
    assert foreign.read_bytes() == b"czyjas notatka"
    assert backup_schedule.list_backups(folder) == []


def test_the_keep_counts_of_daily_and_manual_backups_are_separate(monkeypatch):
    monkeypatch.delenv(backup_schedule.KEEP_ENV, raising=False)
    monkeypatch.delenv(backup_schedule.KEEP_MANUAL_ENV, raising=False)
    assert (backup_schedule.keep_count(), backup_schedule.manual_keep_count()) == (7, 10)
    monkeypatch.setenv(backup_schedule.KEEP_ENV, "14")
    monkeypatch.setenv(backup_schedule.KEEP_MANUAL_ENV, "3")
    assert (backup_schedule.keep_count(), backup_schedule.manual_keep_count()) == (14, 3)


def test_the_admins_panel_lists_both_kinds_in_polish(conn, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    backup_schedule.ensure_daily(conn, folder, 7, datetime(2026, 11, 24, 2, 30))
    backup_schedule.backup_now(conn, Actor("admin", "admin"), folder, 7, datetime(2026, 11, 24, 10, 0))
    (folder / "notes.zip").write_bytes(b"x")
    monkeypatch.setenv(backup_schedule.DIR_ENV, str(folder))
    at = AppTest.from_string(
        "from kooperacja.model.access import Actor\n"
        "from kooperacja.ui import backup_panel\n"
        "backup_panel.render(Actor('admin', 'admin'))\n",
        default_timeout=30,
    ).run()
    assert not at.exception
    listed = next(d.value for d in at.dataframe if "Plik" in d.value.columns)
    assert list(zip(listed["Plik"], listed["Rodzaj"], strict=True)) == [
        ("kooperacja-manual-2026-11-24-100000.zip", "ręczna"),
        ("kooperacja-daily-2026-11-24.zip", "dzienna"),
    ]


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
