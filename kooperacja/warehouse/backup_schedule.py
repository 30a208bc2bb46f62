"""Backups made by the running app: the admin's "backup now", the daily one, the folder they go to."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import KooperacjaError
from kooperacja.warehouse import backup

DIR_ENV = "KOOPERACJA_BACKUP_DIR"  # where the app's backups go (default: beside the warehouse, backups/)
KEEP_ENV = "KOOPERACJA_BACKUP_KEEP"  # how many the rotation keeps (default 7)
DAILY_ENV = "KOOPERACJA_BACKUP_DAILY"  # "0" switches the daily backup off
DEFAULT_KEEP = 7
CHECK_EVERY = 3600.0  # seconds between the daily thread's "is there a backup from today?" checks

_log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()  # the admin's button and the daily thread never write at once
_RUNNING: dict[str, DailyBackups] = {}  # backup folder -> its daily thread, for the admin's page


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime
    size: int


def backup_dir(db: Path) -> Path:
    """The app's backup folder: $KOOPERACJA_BACKUP_DIR, else `backups/` beside the warehouse file."""
    return Path(os.environ.get(DIR_ENV) or Path(db).resolve().parent / "backups")


def keep_count() -> int:
    try:
        return max(1, int(os.environ.get(KEEP_ENV, DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def daily_enabled() -> bool:
    return os.environ.get(DAILY_ENV, "1").strip().lower() not in ("0", "false", "nie", "off")


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first."""
    found = [
        BackupFile(p, datetime.fromtimestamp(p.stat().st_mtime), p.stat().st_size)
        for p in Path(folder).glob("kooperacja-*.zip")
    ]
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def _write(conn: duckdb.DuckDBPyConnection, folder: Path, keep: int, now: datetime) -> Path:
    with _ONE_AT_A_TIME:
        target = Path(folder) / backup.daily_name(now)
        backup.backup(conn, target)
        backup.rotate(folder, keep)
    return target


def backup_now(conn: duckdb.DuckDBPyConnection, actor: Actor, folder: Path, keep: int,
               now: datetime | None = None) -> Path:  # fmt: skip
    """An admin's backup of the running warehouse into `folder`, then rotation to `keep` files."""
    require_admin(actor)
    return _write(conn, folder, keep, now or datetime.now())


def made_on(folder: Path, day: date) -> bool:
    """Whether `folder` holds a backup made on `day` (by its dated name)."""
    return any(Path(folder).glob(f"kooperacja-{day:%Y-%m-%d}-*.zip"))


def ensure_daily(conn: duckdb.DuckDBPyConnection, folder: Path, keep: int,
                 now: datetime | None = None) -> Path | None:  # fmt: skip
    """Make today's backup unless there is one; returns the new file or None.

    Example: at 09:00 with only kooperacja-2026-11-23-0900.zip in the folder, it writes
    kooperacja-2026-11-24-0900.zip; called again at 10:00 it does nothing.
    """
    now = now or datetime.now()
    if made_on(folder, now.date()):
        return None
    return _write(conn, folder, keep, now)


class DailyBackups(threading.Thread):
    """A daemon thread of the app process: checks on start and then every `interval` seconds."""

    def __init__(
        self, conn: duckdb.DuckDBPyConnection, folder: Path, keep: int, interval: float = CHECK_EVERY
    ):
        super().__init__(name="kooperacja-daily-backup", daemon=True)
        self.conn, self.folder, self.keep, self.interval = conn, Path(folder), keep, interval
        self.made: list[Path] = []
        self.failures: list[str] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                try:
                    made = ensure_daily(self.conn, self.folder, self.keep)
                    if made:
                        self.made.append(made)
                except Exception as exc:  # a full disk must not kill the thread: try again next time
                    self.failures.append(
                        exc.message
                        if isinstance(exc, KooperacjaError)
                        else "nieoczekiwany błąd (szczegóły są w dzienniku aplikacji)"
                    )
                    _log.exception("Kopia dzienna nie powiodła się")
                self._stop_event.wait(self.interval)
        finally:
            self.conn = None  # type: ignore[assignment]  # the connection must not outlive the app's cache because of this thread

    def stop(self, timeout: float = 10.0) -> None:
        self._stop_event.set()
        if _RUNNING.get(str(self.folder)) is self:
            del _RUNNING[str(self.folder)]
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


def start_daily(conn: duckdb.DuckDBPyConnection, folder: Path, keep: int,
                interval: float = CHECK_EVERY) -> DailyBackups:  # fmt: skip
    thread = DailyBackups(conn, folder, keep, interval)
    _RUNNING[str(Path(folder))] = thread
    thread.start()
    return thread


def running(folder: Path) -> DailyBackups | None:
    """The daily thread writing into `folder`, if the app started one."""
    return _RUNNING.get(str(Path(folder)))
