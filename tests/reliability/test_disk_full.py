"""A nearly full disk: a write refused as a full disk (never as a conflict); a backup refused in time."""

from __future__ import annotations

import contextlib
import errno
import resource
import shutil
import signal
import sys
from collections import namedtuple

import duckdb
import pytest

from kooperacja import warehouse
from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.model.errors import DiskFull, StaleRecord, WriteFailed
from kooperacja.warehouse import backup

ADMIN = Actor("admin", "admin")
NO_SPACE = 'Could not write file "/srv/kooperacja.duckdb.wal": No space left on device'
Usage = namedtuple("Usage", "total used free")


@contextlib.contextmanager
def file_size_limit(limit: int):
    """Writes past `limit` bytes fail with EFBIG, as writes on a full disk fail with ENOSPC."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


class FailingCommit:
    """A connection whose COMMIT fails as DuckDB's does on a full disk."""

    def __init__(self, conn, error: Exception):
        self.conn, self.error = conn, error

    def cursor(self):
        return _Cursor(self.conn.cursor(), self.error)


class _Cursor:
    def __init__(self, cur, error):
        self.cur, self.error = cur, error

    def execute(self, sql, *args):
        if sql == "COMMIT":
            self.cur.execute("ROLLBACK")  # DuckDB ends the transaction when its commit fails
            raise self.error
        return self.cur.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.cur, name)


@pytest.fixture
def wh(demo_conn):
    return demo_conn


def _names(conn) -> int:
    return conn.execute("SELECT count(*) FROM institution").fetchall()[0][0]


def _insert(cur) -> None:
    cur.execute("INSERT INTO settings VALUES ('probe', 'x')")


def test_a_commit_failing_for_lack_of_space_is_a_full_disk_not_a_conflict(wh):
    failing = FailingCommit(
        wh, duckdb.TransactionException(f"TransactionContext Error: Failed to commit: {NO_SPACE}")
    )
    with pytest.raises(DiskFull) as exc, warehouse.transaction(failing) as cur:
        _insert(cur)
    assert not isinstance(exc.value, StaleRecord)
    assert exc.value.message.startswith("Brak miejsca na dysku hurtowni — nic nie zapisano.")
    assert "zwolnij miejsce" in exc.value.message.lower() and "Errno" not in exc.value.message
    assert wh.execute("SELECT count(*) FROM settings WHERE key = 'probe'").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "error",
    [duckdb.IOException(f"IO Error: {NO_SPACE}"), OSError(errno.ENOSPC, "No space left on device")],
    ids=["duckdb", "os"],
)
def test_a_full_disk_inside_the_transaction_is_a_full_disk(wh, error):
    with pytest.raises(DiskFull), warehouse.transaction(wh) as cur:
        _insert(cur)
        raise error
    assert wh.execute("SELECT count(*) FROM settings WHERE key = 'probe'").fetchall() == [(0,)]


def test_another_commit_failure_is_a_failed_write_and_a_real_conflict_stays_a_conflict(wh):
    other = FailingCommit(
        wh, duckdb.TransactionException("Failed to commit: Could not write file: I/O error")
    )
    with pytest.raises(WriteFailed) as exc, warehouse.transaction(other) as cur:
        _insert(cur)
    assert not isinstance(exc.value, (DiskFull, StaleRecord)) and "nic nie zapisano" in exc.value.message
    conflict = FailingCommit(wh, duckdb.TransactionException("Catalog write-write conflict on alter"))
    with pytest.raises(StaleRecord), warehouse.transaction(conflict) as cur:
        _insert(cur)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE stands in for a full disk")
def test_an_import_on_a_full_disk_is_refused_as_a_full_disk(wh):
    headers = ["Nazwa instytucji", "Sektor", "Poziom", "Siedziba (TERC)"]
    rows = [f"Instytucja {i};ngo;gmina;3401011" for i in range(3000)]
    data = "\n".join([";".join(headers), *rows]).encode()
    parsed = exchange.check_import(wh, ADMIN, exchange.parse_file(data, "i.csv", "institution"))
    before = _names(wh)
    wh.execute("CHECKPOINT")
    with file_size_limit(4096), pytest.raises(DiskFull):  # the log of the write cannot grow
        exchange.apply_import(wh, ADMIN, parsed)
    assert _names(wh) == before  # nothing written, and the warehouse still answers


def test_a_backup_without_room_is_refused_before_the_checkpoint(wh, tmp_path, monkeypatch):
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(real(p).total, real(p).total, 4096))
    with pytest.raises(backup.BackupError) as exc:
        backup.backup(wh, tmp_path / "backups" / "k.zip")
    assert exc.value.message.startswith("Za mało miejsca na dysku na kopię zapasową")
    assert "spróbuj ponownie" in exc.value.message
    assert not list(tmp_path.glob("backups/*"))
    assert _names(wh) > 0


def test_a_backup_whose_zip_hits_a_full_disk_is_refused_in_polish_and_leaves_no_part_file(
    wh, tmp_path, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup.zipfile.ZipFile, "write", full)
    with pytest.raises(backup.BackupError) as exc:
        backup.backup(wh, tmp_path / "backups" / "k.zip")
    assert "Zabrakło miejsca na dysku" in exc.value.message and "Errno" not in exc.value.message
    assert not list(tmp_path.glob("backups/*"))
