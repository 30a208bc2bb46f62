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
KEEP_ENV = "KOOPERACJA_BACKUP_KEEP"  # how many days of daily backups the rotation keeps (default 7)
KEEP_MANUAL_ENV = "KOOPERACJA_BACKUP_KEEP_MANUAL"  # how many manual backups it keeps (default 10)
DAILY_ENV = "KOOPERACJA_BACKUP_DAILY"  # "0" switches the daily backup off
DEFAULT_KEEP = 7
DEFAULT_KEEP_MANUAL = 10
# How the admin's list names each kind.
KIND_LABELS = {backup.DAILY: "dzienna", backup.MANUAL: "ręczna", backup.LEGACY: "ze starszej wersji"}
CHECK_EVERY = 3600.0  # seconds between the daily thread's "is there a backup from today?" checks

_log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()  # the admin's button and the daily thread never write at once
_RUNNING: dict[str, DailyBackups] = {}  # backup folder -> its daily thread, for the admin's page


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime
    size: int
    kind: str = backup.MANUAL

    @property
    def label(self) -> str:
        """The kind in Polish, e.g. "dzienna"."""
        return KIND_LABELS[self.kind]


def backup_dir(db: Path) -> Path:
    """The app's backup folder: $KOOPERACJA_BACKUP_DIR, else `backups/` beside the warehouse file."""
    return Path(os.environ.get(DIR_ENV) or Path(db).resolve().parent / "backups")


def _count(env: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(env, default)))
    except ValueError:
        return default


def keep_count() -> int:
    """How many days of daily backups the rotation keeps: $KOOPERACJA_BACKUP_KEEP, else 7."""
    return _count(KEEP_ENV, DEFAULT_KEEP)


def manual_keep_count() -> int:
    """How many manual backups the rotation keeps: $KOOPERACJA_BACKUP_KEEP_MANUAL, else 10."""
    return _count(KEEP_MANUAL_ENV, DEFAULT_KEEP_MANUAL)


def daily_enabled() -> bool:
    return os.environ.get(DAILY_ENV, "1").strip().lower() not in ("0", "false", "nie", "off")


def list_backups(folder: Path) -> list[BackupFile]:
    """The app's own backups in `folder` (daily, manual and those of earlier versions), newest first."""
    found = []
    for f in backup.found_in(folder):
        try:
            size = f.path.stat().st_size
        except OSError:  # deleted meanwhile
            continue
        found.append(BackupFile(f.path, f.made_at, size, f.kind))
    return found


def write(conn: duckdb.DuckDBPyConnection, folder: Path, kind: str, keep: int, now: datetime) -> Path:
    """A backup of `kind` into `folder` under its kind's name, then rotation of that kind to `keep`.

    A file under that name that the app did not write is never overwritten (BackupError). The daily
    backup also rotates the earlier versions' backups, among themselves, to the same count.
    """
    with _ONE_AT_A_TIME:
        target = Path(folder) / backup.file_name(kind, now)
        if target.exists() and backup.recognise(target) is None:
            raise backup.BackupError(
                f"W folderze kopii jest plik {target.name}, który nie jest kopią zrobioną przez "
                "Kooperację; nie nadpisuję go. Przenieś go albo zmień jego nazwę."
            )
        backup.backup(conn, target, kind)
        backup.rotate(folder, keep, kind)
        if kind == backup.DAILY:  # earlier versions' dated backups: only among themselves, as many
            backup.rotate(folder, keep, backup.LEGACY)
    return target


def backup_now(conn: duckdb.DuckDBPyConnection, actor: Actor, folder: Path, keep: int,
               now: datetime | None = None) -> Path:  # fmt: skip
    """An admin's manual backup of the running warehouse into `folder`, then rotation of the manual
    backups to `keep` (the daily ones are not touched)."""
    require_admin(actor)
    return write(conn, folder, backup.MANUAL, keep, now or datetime.now())


def made_on(folder: Path, day: date) -> bool:
    """Whether `folder` holds the app's daily backup of `day`."""
    found = backup.recognise(Path(folder) / backup.daily_name(datetime.combine(day, datetime.min.time())))
    return found is not None and found.kind == backup.DAILY


def ensure_daily(conn: duckdb.DuckDBPyConnection, folder: Path, keep: int,
                 now: datetime | None = None) -> Path | None:  # fmt: skip
    """Make today's daily backup unless there is one; rotates the daily ones to `keep` days.

    Example: at 09:00 with only kooperacja-daily-2026-11-23.zip in the folder, it writes
    kooperacja-daily-2026-11-24.zip; called again at 10:00 it does nothing. Manual backups
    neither count nor are rotated here.
    """
    now = now or datetime.now()
    if made_on(folder, now.date()):
        return None
    return write(conn, folder, backup.DAILY, keep, now)


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
