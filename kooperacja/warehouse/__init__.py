"""The DuckDB warehouse: where it lives, opening it, migrations, transactions and the audit trail."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from kooperacja.model.errors import DiskFull, StaleRecord, WarehouseUnavailable, WriteFailed

DEFAULT_DB = Path("data/kooperacja.duckdb")
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# DuckDB's buffer pool of the process: its default (80 % of the RAM) let a served app at national
# scale grow past 800 MB. What does not fit spills to DuckDB's temp directory, `<file>.tmp` beside
# the warehouse file (inside the data folder). $KOOPERACJA_DUCKDB_MEMORY overrides it ("1GB").
DEFAULT_MEMORY_LIMIT = "256MB"


def memory_limit() -> str:
    """DuckDB's `memory_limit` for every connection: $KOOPERACJA_DUCKDB_MEMORY, else 256 MB."""
    return os.environ.get("KOOPERACJA_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT


# Only what ships in the wheel: nothing may be downloaded at run time. One configuration for every
# connection: DuckDB refuses a second one to the same file with different settings.
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": memory_limit(),
}

# Every table, parents first: the order of `check`, backup and export.
TABLES = (
    "settings", "wojewodztwo", "powiat", "gmina", "template", "template_step", "pilot_powiat",
    "pilot_gmina", "pilot_exit", "plan_shift", "plan_date", "step_event", "zgloszenie", "institution",
    "pzk_member", "meeting", "meeting_attendee", "app_user", "audit_log", "problem_area", "case_file",
    "case_problem", "case_goal", "case_task", "monthly_report", "service", "case_service", "case_count",
    "wzk_member", "wzk_attendance", "recommendation", "gmina_boundary", "form_token",
    "alert_explanation", "zgloszenie_assignment", "document_template", "problem_map", "resource_card",
    "survey_wave", "survey_answer", "wave_measure", "task_reporting",
)  # fmt: skip


def db_path(explicit: str | Path | None = None) -> Path:
    """The warehouse file: the explicit path, else $KOOPERACJA_DB, else data/kooperacja.duckdb."""
    return Path(explicit or os.environ.get("KOOPERACJA_DB") or DEFAULT_DB)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:4]), path.stem, path.read_text(encoding="utf-8")))
    return found


LATEST_VERSION = max(v for v, _, _ in migrations())


def connect(
    path: str | Path | None = None, *, create: bool = True, upgrade: bool = True, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file and bring its schema to the latest version.

    Failures become `WarehouseUnavailable` with a Polish message saying what to do.
    """
    file = db_path(path)
    if not file.exists() and (read_only or not create):
        raise WarehouseUnavailable(
            f"Nie ma hurtowni danych w pliku {file}. Utwórz ją: python -m kooperacja init "
            f"(lub demo) --db {file}"
        )
    if not read_only:
        file.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(file), read_only=read_only, config=DUCKDB_CONFIG)
    except duckdb.IOException as exc:
        raise WarehouseUnavailable(_explain_open_error(file, str(exc))) from exc
    except duckdb.Error as exc:
        raise WarehouseUnavailable(
            f"Plik {file} nie jest poprawną hurtownią danych Kooperacji albo jest uszkodzony "
            f"({type(exc).__name__}). Odtwórz ją z kopii: python -m kooperacja restore PLIK"
        ) from exc
    if upgrade and not read_only:
        migrate(conn)
    return conn


# What a read of a damaged file raises (not SQL mistakes, which stay tracebacks for the developer).
DatabaseError = (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException)


def unreadable(exc: Exception, path: str | Path | None = None) -> WarehouseUnavailable:
    """A read that failed on an open warehouse (a truncated or damaged file) as a Polish message."""
    return WarehouseUnavailable(
        f"Nie można odczytać danych z hurtowni {db_path(path)}: plik jest uszkodzony lub niekompletny "
        f"({type(exc).__name__}). Odtwórz ją z kopii: python -m kooperacja restore PLIK"
    )


def _explain_open_error(file: Path, detail: str) -> str:
    lowered = detail.lower()
    if "lock" in lowered or "conflicting" in lowered:
        return (
            f"Hurtownia {file} jest otwarta przez inny proces (np. działającą aplikację). "
            "Zatrzymaj go albo wykonaj tę operację w aplikacji (panel administratora)."
        )
    if "read-only" in lowered or "permission" in lowered:
        return f"Brak prawa zapisu do pliku {file} ani jego katalogu (dysk tylko do odczytu?)."
    return (
        f"Nie można otworzyć hurtowni {file}: plik jest uszkodzony lub nie jest bazą DuckDB. "
        "Odtwórz ją z kopii: python -m kooperacja restore PLIK"
    )


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for an empty file."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def migrate(conn: duckdb.DuckDBPyConnection, target: int | None = None) -> int:
    """Apply the pending migrations up to `target` (default: all), each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    current = schema_version(conn)
    for version, name, sql in migrations():
        if version <= current or (target is not None and version > target):
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        current = version
    return current


# One writer at a time in this process. DuckDB refuses concurrent updates of the same rows ("Conflict
# on update!") and a `with` body cannot be retried, so writes queue here; reads take no lock and see
# the last committed state. Only one process can open the file, so this serialises every write.
WRITE_LOCK = threading.RLock()


_log = logging.getLogger(__name__)
_NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# How DuckDB words a full disk (its messages carry the OS's text, not the errno).
_NO_SPACE_WORDS = ("no space left", "disk full", "disk quota", "file too large", "errno 28", "enospc")
NO_SPACE = (
    "Brak miejsca na dysku hurtowni — nic nie zapisano. Zwolnij miejsce na dysku (albo poproś o to "
    "administratora) i spróbuj ponownie."
)
STALE = (
    "Zapis odrzucony: w tym samym czasie ktoś zmienił te same dane. "
    "Wczytaj je ponownie i spróbuj jeszcze raz."
)


def no_space(exc: BaseException) -> bool:
    """Whether `exc` (an OSError or a DuckDB error) says the disk is full."""
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE_ERRNOS:
        return True
    return any(word in str(exc).lower() for word in _NO_SPACE_WORDS)


def write_failure(exc: Exception) -> WriteFailed | StaleRecord | None:
    """A failed write as the Polish error to show, or None when it is not a storage or conflict failure.

    A full disk is DiskFull, other I/O failures WriteFailed, a concurrent change StaleRecord: a full
    disk must never read as "someone changed the same data". A FatalException is not mapped: the
    database is invalidated and the app must reopen it (kooperacja.ui.errors).
    """
    if isinstance(exc, duckdb.FatalException):
        return None
    if no_space(exc):
        return DiskFull(NO_SPACE)
    if isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower():
        return StaleRecord(STALE)
    if isinstance(exc, (duckdb.IOException, OSError, duckdb.TransactionException)):
        return WriteFailed(
            "Zapis do hurtowni nie powiódł się (błąd zapisu na dysku) — nic nie zapisano. Spróbuj "
            "ponownie; jeśli błąd się powtarza, powiadom administratora (szczegóły są w dzienniku aplikacji)."
        )
    return None


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:  # nothing active (a failed COMMIT ends it) or the database is gone
        _log.debug("ROLLBACK failed", exc_info=True)


# The transaction a `transaction()` opened in this thread joins instead of opening its own (set by
# `joined`): a form-token write and the write it guards commit together (kooperacja.warehouse.store.once).
_JOINED: ContextVar[tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection] | None] = ContextVar(
    "kooperacja_joined_transaction", default=None
)


@contextmanager
def joined(conn: duckdb.DuckDBPyConnection, cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Inside the block, a `transaction` on `conn` in this thread yields `cur` (already open) itself."""
    reset = _JOINED.set((conn, cur))
    try:
        yield
    finally:
        _JOINED.reset(reset)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor whose statements commit together or not at all, one writing transaction at a time.

    A full disk or another I/O failure, in the body or at COMMIT, raises DiskFull / WriteFailed;
    a write conflict at COMMIT raises StaleRecord. Nothing of the transaction is kept either way.
    Inside `joined(conn, cur)` it is part of that open transaction (which commits or rolls back).
    """
    outer = _JOINED.get()
    if outer is not None and outer[0] is conn:
        yield outer[1]
        return
    with WRITE_LOCK:
        cur = conn.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException as exc:
            _rollback(cur)
            mapped = write_failure(exc) if isinstance(exc, (duckdb.Error, OSError)) else None
            if mapped is None:
                raise
            _log.warning("Zapis do hurtowni nie powiódł się", exc_info=True)
            raise mapped from exc
        else:
            try:
                cur.execute("COMMIT")
            except (duckdb.Error, OSError) as exc:
                mapped = write_failure(exc)
                if mapped is None:
                    raise
                _log.warning("Zatwierdzenie zapisu nie powiodło się", exc_info=True)
                raise mapped from exc
        finally:
            cur.close()


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def to_json(row: Mapping[Any, Any] | None) -> str | None:
    return None if row is None else json.dumps(row, default=_json_default, ensure_ascii=False)


def audit(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    action: str,
    table: str,
    key: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    terc: str | None = None,
    reason: str | None = None,
) -> None:
    """Record one write in audit_log, inside the caller's transaction (`reason`: a correction's)."""
    cur.execute(
        "INSERT INTO audit_log (username, action, table_name, record_key, terc, before, after, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [username, action, table, str(key), terc, to_json(before), to_json(after), reason],
    )


def is_usable(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection still answers (DuckDB invalidates it after a fatal error)."""
    try:
        with conn.cursor() as probe:
            probe.execute("SELECT 1").fetchall()
        return True
    except duckdb.Error:
        return False


def one_row(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> tuple | None:
    """The first row of a query, or None."""
    rows = cur.execute(sql, params).fetchall()
    return rows[0] if rows else None


def fetch_dicts(
    cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Rows of a query as dicts (for audit snapshots and small reads)."""
    rel = cur.execute(sql, params or [])
    names = [d[0] for d in rel.description]
    return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


_IDENT = re.compile(r"[a-z_][a-z0-9_]*")


def ident(name: str) -> str:
    """A table/column name checked against the schema's own naming, for the few dynamic SQLs."""
    if not _IDENT.fullmatch(name):
        raise ValueError(f"niedozwolony identyfikator: {name!r}")
    return name


def get_setting(conn: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    rows = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else default


def set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, value])


def table_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {ident(t)}").fetchall()[0][0] for t in TABLES}
