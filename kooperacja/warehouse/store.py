"""Writing records: insert, bulk insert, versioned update and delete, each one audited."""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd

from kooperacja.model.errors import InvalidInput, NotFound, StaleRecord
from kooperacja.model.records import Record, correction_reason, label
from kooperacja.warehouse import audit, fetch_dicts, ident, joined, to_json, transaction

# Tables whose generated key comes from the sequence `<table>_seq`.
SEQUENCED = {
    "plan_shift",
    "step_event",
    "zgloszenie",
    "institution",
    "pzk_member",
    "meeting",
    "case_goal",
    "case_task",
    "monthly_report",
    "service",
    "wzk_member",
    "recommendation",
    "problem_map",
    "resource_card",
    "survey_wave",
}


def reserve_ids(cur: duckdb.DuckDBPyConnection, table: str, n: int) -> list[int]:
    """Take n keys from a table's sequence, for bulk inserts that link children to parents."""
    if table not in SEQUENCED:
        raise ValueError(f"tabela {table} nie ma sekwencji")
    if n == 0:
        return []
    rows = cur.execute(f"SELECT nextval('{ident(table)}_seq') FROM range(?)", [n]).fetchall()
    return [r[0] for r in rows]


def _constraint_message(record: Record, exc: duckdb.ConstraintException) -> InvalidInput:
    text = str(exc)
    if "duplicate key" in text.lower():
        found = re.search(r'"([^"]*)"', text)
        value = found.group(1) if found else record.KEY
        return InvalidInput([f"{label(type(record), record.KEY)}: rekord {value} już istnieje"])
    return InvalidInput([f"{record.TABLE}: naruszenie reguły bazy danych — {text}"])


# The column naming the territory a row belongs to, for the audit trail's gmina filter.
AREA_COLUMNS = ("terc", "seat_terc", "area_terc")


def area_of(row: dict[str, Any]) -> str | None:
    return next((row[c] for c in AREA_COLUMNS if row.get(c)), None)


def insert(cur: duckdb.DuckDBPyConnection, username: str, record: Record, terc: str | None = None) -> Any:
    """Insert one record inside the caller's transaction; returns its key."""
    row = record.row()
    cols = ", ".join(ident(c) for c in row)
    marks = ", ".join("?" for _ in row)
    try:
        key = cur.execute(
            f"INSERT INTO {ident(record.TABLE)} ({cols}) VALUES ({marks}) RETURNING {ident(record.KEY)}",
            list(row.values()),
        ).fetchall()[0][0]
    except duckdb.ConstraintException as exc:
        raise _constraint_message(record, exc) from None
    audit(cur, username, "insert", record.TABLE, key, None, {record.KEY: key, **row}, terc or area_of(row))
    return key


def insert_many(
    cur: duckdb.DuckDBPyConnection, records: Sequence[Record], username: str, audited: bool = True
) -> int:
    """Insert records of one table in one statement (keys must be set or generated)."""
    if not records:
        return 0
    table = records[0].TABLE
    frame = pd.DataFrame([r.model_dump() for r in records])
    if records[0].KEY in frame and frame[records[0].KEY].isna().all():
        frame = frame.drop(columns=[records[0].KEY])
    cols = ", ".join(ident(c) for c in frame.columns)
    cur.register("_bulk", frame)
    try:
        cur.execute(f"INSERT INTO {ident(table)} ({cols}) SELECT {cols} FROM _bulk")
    except duckdb.ConstraintException as exc:
        raise _constraint_message(records[0], exc) from None
    finally:
        cur.unregister("_bulk")
    if audited:
        key = records[0].KEY
        log = pd.DataFrame(
            {
                "username": username,
                "action": "insert",
                "table_name": table,
                "record_key": frame[key].astype(str) if key in frame else "",
                "terc": next((frame[c] for c in AREA_COLUMNS if c in frame), None),
                "after": [r.model_dump_json() for r in records],
            }
        )
        cur.register("_log", log)
        cur.execute(
            "INSERT INTO audit_log (username, action, table_name, record_key, terc, after) "
            "SELECT username, action, table_name, record_key, terc, after FROM _log"
        )
        cur.unregister("_log")
    return len(records)


def get_row(cur: duckdb.DuckDBPyConnection, cls: type[Record], key: Any) -> dict[str, Any]:
    rows = fetch_dicts(cur, f"SELECT * FROM {ident(cls.TABLE)} WHERE {ident(cls.KEY)} = ?", [key])
    if not rows:
        raise NotFound(f"Nie ma rekordu {key} w tabeli {cls.TABLE}.")
    return rows[0]


def row_versions(cur: duckdb.DuckDBPyConnection, cls: type[Record], keys: Sequence[Any]) -> dict[Any, int]:
    """{key: row_version} of the given records (what a form shows, to pass back as expected_version)."""
    rows = cur.execute(
        f"SELECT {ident(cls.KEY)}, row_version FROM {ident(cls.TABLE)} "
        f"WHERE list_contains(?, {ident(cls.KEY)})",
        [list(keys)],
    ).fetchall()
    return dict(rows)


def last_change(cur: duckdb.DuckDBPyConnection, table: str, key: Any) -> tuple[str, Any] | None:
    """(who, when) of the latest audited write of a record, or None when the trail has none."""
    rows = cur.execute(
        "SELECT username, changed_at FROM audit_log WHERE table_name = ? AND record_key = ? "
        "ORDER BY audit_id DESC LIMIT 1",
        [table, str(key)],
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def stale(cur: duckdb.DuckDBPyConnection, table: str, key: Any) -> StaleRecord:
    """The refusal of a save over a newer version: who changed the record and when (its audit trail).

    The message reads e.g. "Zmienił(a) animator2 01.12.2026 10:14 — odśwież i spróbuj ponownie."
    """
    last = last_change(cur, table, key)
    who, when = last if last else ("inny użytkownik", None)
    at = f" {when:%d.%m.%Y %H:%M}" if when else ""
    return StaleRecord(f"Zmienił(a) {who}{at} — odśwież i spróbuj ponownie.")


def update(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    cls: type[Record],
    key: Any,
    changes: dict[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> Record:
    """Validate the changed record as a whole and write it; refuse if someone saved in between.

    `expected_version` is the row_version the user's form was loaded with (tables that have one).
    `reason` is a correction's (required by the caller for edits of saved facts, see `correction`).
    """
    before = get_row(cur, cls, key)
    version = before.pop("row_version", None)
    if expected_version is not None and version is not None and version != expected_version:
        raise stale(cur, cls.TABLE, key)
    # columns the record does not carry (step_event.recorded_at) stay as stored
    record = cls.parse({**{k: v for k, v in before.items() if k in cls.model_fields}, **changes})
    after = record.model_dump()
    sets = ", ".join(f"{ident(c)} = ?" for c in after if c != cls.KEY)
    values = [v for c, v in after.items() if c != cls.KEY]
    bump = ", row_version = row_version + 1" if version is not None else ""
    cur.execute(f"UPDATE {ident(cls.TABLE)} SET {sets}{bump} WHERE {ident(cls.KEY)} = ?", [*values, key])
    if reason is not None:
        reason = correction_reason(reason)
    audit(cur, username, "update", cls.TABLE, key, before, after, area_of(after), reason)
    return record


def delete(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    cls: type[Record],
    key: Any,
    reason: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Delete one record, keeping it whole in the audit trail; returns the row as it was.

    A user's withdrawal of a saved fact passes `reason` (required then, guarded like any free text):
    the history shows who withdrew what, when and why — never a silent delete.
    """
    if reason is not None:
        reason = correction_reason(reason)
    before = get_row(cur, cls, key)
    version = before.get("row_version")
    if expected_version is not None and version is not None and version != expected_version:
        raise stale(cur, cls.TABLE, key)
    cur.execute(f"DELETE FROM {ident(cls.TABLE)} WHERE {ident(cls.KEY)} = ?", [key])
    audit(cur, username, "delete", cls.TABLE, key, before, None, area_of(before), reason)
    return before


P = ParamSpec("P")
T = TypeVar("T")
TOKEN = re.compile(r"[0-9a-f]{32}")


def _stored(result: Any) -> str | None:
    return to_json({"tuple": isinstance(result, tuple), "value": result})


def _restored(stored: str | None) -> Any:
    if stored is None:
        return None
    found = json.loads(stored)
    return tuple(found["value"]) if found["tuple"] else found["value"]


def once(
    conn: duckdb.DuckDBPyConnection, token: str | None, username: str, action: str, write: Callable[[], T]
) -> T:
    """Run `write` at most once per form token: a second call with a used token writes nothing and
    returns what the first call returned (a double click, a resent form, two submits at once).

    The token is recorded in the same transaction as the write (`write`'s own `transaction()` joins
    it), so it is kept exactly when the write is: a refused write leaves the token unused. Writes are
    serialised by WRITE_LOCK, so of two submits at the same moment the second sees the first's token.
    """
    if token is None:
        return write()
    if not TOKEN.fullmatch(token):
        raise InvalidInput(["Formularz: niepoprawny znacznik formularza — odśwież stronę"])
    with transaction(conn) as cur:
        first = cur.execute("SELECT username, result FROM form_token WHERE token = ?", [token]).fetchall()
        if first:
            if first[0][0] != username:
                raise InvalidInput(
                    ["Formularz: znacznik formularza należy do innego użytkownika — odśwież stronę"]
                )
            return _restored(first[0][1])
        with joined(conn, cur):
            result = write()
        cur.execute(
            "INSERT INTO form_token (token, username, action, result) VALUES (?, ?, ?, ?)",
            [token, username, action, _stored(result)],
        )
        return result


def idempotent(fn: Callable[P, T]) -> Callable[P, T]:
    """A create function (conn, actor, …, form_token=None) run at most once per `form_token` (see once)."""
    signature = inspect.signature(fn)
    action = f"{fn.__module__.removeprefix('kooperacja.')}.{fn.__name__}"

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        token = kwargs.get("form_token")
        if token is None:
            return fn(*args, **kwargs)
        given = signature.bind(*args, **kwargs).arguments
        return once(given["conn"], str(token), given["actor"].username, action, lambda: fn(*args, **kwargs))

    return run
