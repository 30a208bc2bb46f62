"""Writing an import: keys, references, roles and every refusal of the rows' forms (the same pure checks),
checked against the warehouse and the file's earlier rows, then one transaction."""

from __future__ import annotations

import hashlib
import types
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja.cases.checks import (
    CasesContext,
    load_cases_context,
)
from kooperacja.cases.counts import (
    COUNT_INPUTS,
    REPORTING_INPUTS,
    refresh_case_counts,
    refresh_task_reporting,
)
from kooperacja.exchange.mapping import (
    PROBLEMS_FIELD,
    REGISTRIES,
    Change,
    ImportResult,
    ParsedImport,
    ParsedRow,
    ParsedSheet,
    Registry,
    RowError,
    SheetPlan,
    Stamp,
    Update,
)
from kooperacja.model.access import (
    Actor,
    require_write_data,
)
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.model.records import Record
from kooperacja.network.checks import NetworkContext, load_network_context
from kooperacja.programme.checks import (
    ProgrammeContext,
    load_programme_context,
)
from kooperacja.programme.harmonogram import PLAN_INPUTS, refresh_plan_dates
from kooperacja.warehouse import audit, fetch_dicts, ident, to_json, transaction
from kooperacja.warehouse.store import SEQUENCED, area_of, insert_many, reserve_ids

MODES = ("all_or_nothing", "valid_only")
CHUNK = 1000  # rows per insert, and how often the progress callback hears about it
Progress = Callable[[int, int], None]

_MISSING = {
    "area": "nieznany kod TERC {v}",
    "user": "nie ma użytkownika {v}",
    "template": "nie ma szablonu nr {v}",
    "meeting": "nie ma spotkania nr {v}",
    "member": "nie ma członka WZK nr {v}",
    "service": "nie ma usługi nr {v}",
    "institution": "nie ma instytucji nr {v}",
    "case": "nie ma sprawy {v}",
    "goal": "nie ma celu nr {v}",
    "task": "nie ma zadania nr {v}",
    "problem": "nieznany obszar {v}",
}


@dataclass
class _Known:
    """What rows may refer to: the warehouse's keys and codes and the checks' contexts, loaded once
    per file and grown by the file's valid rows."""

    refs: dict[str, set[Any]]
    keys: dict[str, set[Any]]
    unique: dict[str, dict[tuple, Any]]  # unique columns' values → the key of the row holding them
    programme: ProgrammeContext
    cases: CasesContext
    network: NetworkContext
    steps: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)  # template → substep → level


def _column(cur: duckdb.DuckDBPyConnection, sql: str) -> set[Any]:
    return {r[0] for r in cur.execute(sql).fetchall()}


def _load(cur: duckdb.DuckDBPyConnection, tables: list[str], today: date) -> _Known:
    areas = _column(
        cur, "SELECT terc FROM gmina UNION ALL SELECT terc FROM powiat UNION ALL SELECT terc FROM wojewodztwo"
    )
    known = _Known(
        refs={
            "area": areas,
            "problem": _column(cur, "SELECT code FROM problem_area"),
            "user": _column(cur, "SELECT username FROM app_user"),
            "template": _column(cur, "SELECT template_id FROM template"),
            "meeting": _column(cur, "SELECT meeting_id FROM meeting"),
            "member": _column(cur, "SELECT member_id FROM wzk_member"),
            "service": _column(cur, "SELECT service_id FROM service"),
        },
        keys={},
        unique={},
        programme=load_programme_context(cur, today),
        cases=load_cases_context(cur, today),
        network=load_network_context(cur, today),
    )
    for tid, version, substep, level in cur.execute(
        "SELECT template_id, version, substep, level FROM template_step"
    ).fetchall():
        known.steps.setdefault((tid, version), {})[substep] = level
    for table in tables:
        reg = REGISTRIES[table]
        cols = ", ".join(ident(c) for c in reg.key_fields)
        found = cur.execute(f"SELECT {cols} FROM {ident(table)}").fetchall()
        known.keys[table] = {r if reg.keys else r[0] for r in found}
        if reg.unique:
            cols = ", ".join(ident(c) for c in reg.unique)
            known.unique[table] = {
                tuple(r[:-1]): r[-1]
                for r in cur.execute(f"SELECT {cols}, {ident(reg.key)} FROM {ident(table)}").fetchall()
            }
    return known


def installation_id(cur: duckdb.DuckDBPyConnection) -> str:
    """A name of this warehouse that reveals nothing (a digest of its own secret): a file exported
    from another installation is never checked against this one's audit trail."""
    rows = cur.execute("SELECT value FROM settings WHERE key = 'cookie_key'").fetchall()
    return hashlib.sha256(rows[0][0].encode()).hexdigest()[:16] if rows else ""


def stamp(cur: duckdb.DuckDBPyConnection) -> Stamp:
    """How far this warehouse's audit trail reaches now: what an export carries."""
    last, at = cur.execute(
        "SELECT coalesce(max(audit_id), 0), current_timestamp::TIMESTAMP FROM audit_log"
    ).fetchall()[0]
    return Stamp(installation_id(cur), int(last), at)


def _lookup(known: _Known, kind: str) -> Any:
    contexts = {
        "case": known.cases.cases,
        "goal": known.cases.goal_case,
        "task": known.cases.task_case,
        "institution": known.programme.institutions,
    }
    return contexts[kind] if kind in contexts else known.refs[kind]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else ("" if value is None else str(value))


def _row_errors(
    reg: Registry,
    sheet: str,
    row: ParsedRow,
    known: _Known,
    actor: Actor,
    stored: dict[str, Any] | None = None,
) -> list[RowError]:
    """Every refusal of one row: a new one (`stored` None) or one changing the stored row `stored`."""
    heads = reg.heads
    record = row.record
    key = reg.key_of(record)
    found = []

    def bad(name: str, value: Any, reason: str) -> None:
        found.append(RowError(sheet, row.row, heads[name], _shown(value), reason))

    if stored is None and key is not None and key in known.keys[reg.table]:
        bad(reg.key, getattr(record, reg.key), "taki klucz jest już w hurtowni")
    if reg.unique:
        holder = known.unique[reg.table].get(tuple(getattr(record, c) for c in reg.unique), key)
        if holder != key or (stored is None and key is None and holder is not None):
            bad(reg.unique[0], getattr(record, reg.unique[0]), "taki wpis jest już w hurtowni")
    for name, kind in reg.references:
        value = row.problems if name == PROBLEMS_FIELD else getattr(record, name)
        values = value if isinstance(value, list) else [value]
        missing = [v for v in values if v is not None and v not in _lookup(known, kind)]
        if missing:
            bad(name, values, _MISSING[kind].format(v=", ".join(map(str, missing))))
    if found:
        return found
    old = _old_record(reg, stored) if stored is not None else None
    try:
        reg.permission(actor, record, known)
        if old is not None:  # a row may be moved neither into nor out of the actor's gminy
            reg.permission(actor, old, known)
    except AccessDenied as exc:
        bad(reg.scope, getattr(record, reg.scope), f"brak uprawnień: {exc.message}")
        return found
    if old is not None and reg.forget is not None:
        reg.forget(old, known)
    for problem in reg.check(row, known, actor) if reg.check else []:
        value = row.problems if problem.field == PROBLEMS_FIELD else getattr(record, problem.field)
        bad(problem.field, value, problem.message)
    return found


def _old_record(reg: Registry, stored: dict[str, Any]) -> Any:
    """The stored row as the permission rules and `forget` read it (by attribute), not re-validated."""
    return types.SimpleNamespace(**{f: stored.get(f) for f in reg.model.model_fields}, TABLE=reg.table)


def _remember(reg: Registry, record: Record, known: _Known) -> None:
    key = reg.key_of(record)
    if key is not None:
        known.keys[reg.table].add(key)
        if reg.provides:
            known.refs[reg.provides].add(key[0] if reg.keys else key)
    if reg.grow:
        reg.grow(record, known)
    if reg.unique:
        known.unique[reg.table][tuple(getattr(record, c) for c in reg.unique)] = key
    known.programme.remember(record)
    known.cases.remember(record)
    known.network.remember(record)


def _stored_rows(cur: duckdb.DuckDBPyConnection, reg: Registry, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    """The stored rows of the given keys (one query), with a case's problem areas as a sorted list."""
    if not keys:
        return {}
    extra = (
        f", (SELECT list(p.problem_code ORDER BY p.problem_code) FROM case_problem p "
        f"WHERE p.case_code = t.case_code) AS {PROBLEMS_FIELD}"
        if PROBLEMS_FIELD in reg.headers()
        else ""
    )
    if reg.keys:  # keyed by several columns: the link tables and templates, read whole
        rows = fetch_dicts(cur, f"SELECT t.* FROM {ident(reg.table)} t")
        wanted = set(keys)
        return {k: row for row in rows if (k := tuple(row[f] for f in reg.keys)) in wanted}
    rows = fetch_dicts(
        cur,
        f"SELECT t.*{extra} FROM {ident(reg.table)} t WHERE t.{ident(reg.key)} IN (SELECT unnest(?))",
        [keys],
    )
    for row in rows:
        if PROBLEMS_FIELD in row:
            row[PROBLEMS_FIELD] = row[PROBLEMS_FIELD] or []
    return {row[reg.key]: row for row in rows}


def _merged(
    reg: Registry, sheet: ParsedSheet, row: ParsedRow, stored: dict[str, Any]
) -> tuple[ParsedRow, list[tuple[str, Any, Any]]]:
    """The stored row with the file's columns over it, validated, and the fields that differ
    (field, before, after). A column the sheet does not have keeps the stored value."""
    record = row.record
    diffs = []
    for name in reg.model.model_fields:
        if name in reg.key_fields or name not in sheet.fields:
            continue
        if (value := getattr(record, name)) != stored.get(name):
            diffs.append((name, stored.get(name), value))
    problems = row.problems
    if PROBLEMS_FIELD in stored:
        if PROBLEMS_FIELD in sheet.fields and row.problems != stored[PROBLEMS_FIELD]:
            diffs.append((PROBLEMS_FIELD, stored[PROBLEMS_FIELD], row.problems))
        elif PROBLEMS_FIELD not in sheet.fields:
            problems = stored[PROBLEMS_FIELD]
    if not diffs:
        return row, []
    if sheet.fields >= set(reg.model.model_fields) - set(
        reg.key_fields
    ):  # the file's row is the whole record
        return ParsedRow(row.row, record, problems), diffs
    data = {f: stored.get(f) for f in reg.model.model_fields} | {
        f: getattr(record, f) for f in sheet.fields if f in reg.model.model_fields
    }
    return ParsedRow(row.row, reg.model.parse(data), problems), diffs


def _changes(reg: Registry, sheet: str, row: ParsedRow, diffs: list[tuple[str, Any, Any]]) -> list[Change]:
    columns = reg.columns
    key = "/".join(_shown(getattr(row.record, f)) for f in reg.key_fields)
    return [
        Change(sheet, row.row, key, columns[f].header, _shown(columns[f].cell(b)), _shown(columns[f].cell(a)))
        for f, b, a in diffs
    ]


def _stale(
    cur: duckdb.DuckDBPyConnection, reg: Registry, sheet: str, updates: list[Update], since: Stamp | None
) -> tuple[list[Update], list[RowError]]:
    """Updates of rows the audit trail shows changed after the file was exported are refused, naming
    who changed them and when; a file without a stamp of this warehouse is not checked."""
    if not updates or since is None or not since.installation or since.installation != installation_id(cur):
        return updates, []
    later = {
        key: (who, when)
        for key, who, when in cur.execute(
            "SELECT record_key, arg_max(username, audit_id), max(changed_at) FROM audit_log "
            "WHERE table_name = ? AND audit_id > ? AND record_key IN (SELECT unnest(?)) GROUP BY record_key",
            [reg.table, since.audit_id, [str(getattr(u.record, reg.key)) for u in updates]],
        ).fetchall()
    }
    kept, errors = [], []
    heads = reg.heads
    for u in updates:
        key = getattr(u.record, reg.key)
        if str(key) not in later:
            kept.append(u)
            continue
        who, when = later[str(key)]
        errors.append(
            RowError(
                sheet,
                u.row.row,
                heads[reg.key],
                _shown(key),
                f"wiersz zmienił(a) w hurtowni {who} {when:%d.%m.%Y %H:%M}, już po eksporcie tego pliku "
                "— pobierz świeży eksport i nanieś zmiany jeszcze raz",
            )
        )
    return kept, errors


def check_import(
    cur: duckdb.DuckDBPyConnection, actor: Actor, parsed: ParsedImport, today: date | None = None
) -> ParsedImport:
    """The parsed file with the errors only the warehouse can tell and what writing it would do.

    A row whose key is stored is compared field by field: unchanged, or an update whose changed cells
    are listed (refused when the row changed in the warehouse after the export). Every new or changed
    row passes what its form checks: keys and references, the actor's gminy, every refusal of the
    row's form (the same checks, with the file's earlier rows as context). Parents are checked first
    so children may refer to them."""
    require_write_data(actor)
    known = _load(cur, [s.registry.table for s in parsed.sheets], today or date.today())
    errors = list(parsed.errors)
    bad = parsed.bad_rows()
    plans: dict[str, SheetPlan] = {}
    for sheet in parsed.sheets:
        reg = sheet.registry
        plan = plans[sheet.sheet] = SheetPlan()
        good = [row for row in sheet.rows if (sheet.sheet, row.row) not in bad]
        stored = _stored_rows(cur, reg, [k for r in good if (k := reg.key_of(r.record)) is not None])
        for row in good:
            before = stored.get(reg.key_of(row.record))
            if before is not None:
                try:
                    row, diffs = _merged(reg, sheet, row, before)
                except InvalidInput as exc:
                    errors += _record_errors(reg, sheet.sheet, row, exc)
                    continue
                if not diffs:
                    plan.unchanged += 1
                    continue
                if reg.frozen:
                    name, _, now = diffs[0]
                    column = reg.columns[name]
                    errors.append(
                        RowError(sheet.sheet, row.row, column.header, _shown(column.cell(now)), reg.frozen)
                    )
                    continue
            found = _row_errors(reg, sheet.sheet, row, known, actor, before)
            errors += found
            if found:
                continue
            _remember(reg, row.record, known)
            if before is None:
                plan.new.append(row)
            else:
                plan.updates.append(Update(row, row.record, before, _changes(reg, sheet.sheet, row, diffs)))
        plan.updates, refused = _stale(cur, reg, sheet.sheet, plan.updates, parsed.stamp)
        errors += refused
    order = {s.sheet: i for i, s in enumerate(parsed.sheets)}
    return replace(parsed, errors=sorted(errors, key=lambda e: (order.get(e.sheet, 0), e.row)), plans=plans)


def _record_errors(reg: Registry, sheet: str, row: ParsedRow, exc: InvalidInput) -> list[RowError]:
    """A merged row the record refuses ("Pole: powód" lines), as row errors."""
    out = []
    for line in exc.problems:
        column, _, reason = line.partition(": ")
        out.append(RowError(sheet, row.row, column, "", reason))
    return out


def _has_sequence(cur: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        cur.execute(
            "SELECT count(*) FROM duckdb_sequences() "
            "WHERE sequence_name = ? AND database_name = current_database()",
            [f"{table}_seq"],
        ).fetchall()[0][0]
    )


def _advance_sequence(cur: duckdb.DuckDBPyConnection, table: str, at_least: int) -> None:
    """Move a sequence past keys written explicitly, so that the next form gets a fresh key."""
    last, start = cur.execute(
        "SELECT last_value, start_value FROM duckdb_sequences() "
        "WHERE sequence_name = ? AND database_name = current_database()",
        [f"{table}_seq"],
    ).fetchall()[0]
    current = start - 1 if last is None else last
    if at_least > current:
        cur.execute(
            f"SELECT max(nextval('{ident(table)}_seq')) FROM range(?)", [at_least - current]
        ).fetchall()


def _with_keys(cur: duckdb.DuckDBPyConnection, reg: Registry, records: list[Record]) -> list[Record]:
    if reg.table not in SEQUENCED:
        return records
    given = [getattr(r, reg.key) for r in records if getattr(r, reg.key) is not None]
    stored = cur.execute(f"SELECT coalesce(max({ident(reg.key)}), 0) FROM {ident(reg.table)}").fetchall()[0][
        0
    ]
    _advance_sequence(cur, reg.table, max([stored, *given]))
    fresh = iter(reserve_ids(cur, reg.table, len(records) - len(given)))
    return [
        r if getattr(r, reg.key) is not None else r.model_copy(update={reg.key: next(fresh)}) for r in records
    ]


def _write(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    sheet: ParsedSheet,
    rows: list[ParsedRow],
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    reg = sheet.registry
    records = _with_keys(cur, reg, [r.record for r in rows])
    if reg.defaults is not None:  # rows needing columns their record lacks (accounts): few, one by one
        for rec in records:
            row = rec.row()
            full = row | reg.defaults()
            cur.execute(
                f"INSERT INTO {ident(reg.table)} ({', '.join(ident(c) for c in full)}) "
                f"VALUES ({', '.join('?' for _ in full)})",
                list(full.values()),
            )
            audit(cur, actor.username, "insert", reg.table, reg.key_of(rec), None, row)
        return done + len(records)
    if reg.table not in SEQUENCED and reg.keys and _has_sequence(cur, reg.table):  # templates
        _advance_sequence(cur, reg.table, max(getattr(r, reg.keys[0]) for r in records))
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        insert_many(cur, chunk, actor.username)
        done += len(chunk)
        if progress:
            progress(done, total)
    if sheet.registry.links:
        links = [
            link for rec, row in zip(records, rows, strict=True) for link in sheet.registry.links(rec, row)
        ]
        insert_many(cur, links, actor.username)
    return done


def _update_many(cur: duckdb.DuckDBPyConnection, actor: Actor, reg: Registry, updates: list[Update]) -> int:
    """Write the updates of one sheet in one statement, each audited with its before and after and
    the row_version bumped where the table keeps one; a case's problem areas are replaced."""
    if not updates:
        return 0
    frame = pd.DataFrame([u.record.model_dump() for u in updates])
    cols = [c for c in frame.columns if c not in reg.key_fields]
    sets = ", ".join(f"{ident(c)} = u.{ident(c)}" for c in cols)
    match = " AND ".join(f"t.{ident(c)} = u.{ident(c)}" for c in reg.key_fields)
    bump = ", row_version = t.row_version + 1" if "row_version" in updates[0].stored else ""
    cur.register("_upd", frame)
    try:
        cur.execute(f"UPDATE {ident(reg.table)} t SET {sets}{bump} FROM _upd u WHERE {match}")
    except duckdb.ConstraintException as exc:
        raise InvalidInput([f"{reg.sheet}: naruszenie reguły bazy danych — {exc}"]) from None
    finally:
        cur.unregister("_upd")
    log = pd.DataFrame(
        {
            "username": actor.username,
            "action": "update",
            "table_name": reg.table,
            "record_key": [str(getattr(u.record, reg.key)) for u in updates],
            "terc": [area_of(u.record.model_dump()) for u in updates],
            "before": [to_json(u.stored) for u in updates],
            "after": [u.record.model_dump_json() for u in updates],
            "reason": IMPORT_REASON,
        }
    )
    cur.register("_log", log)
    cur.execute(
        "INSERT INTO audit_log (username, action, table_name, record_key, terc, before, after, reason) "
        "SELECT username, action, table_name, record_key, terc, before, after, reason FROM _log"
    )
    cur.unregister("_log")
    relinked = [
        u for u in updates if PROBLEMS_FIELD in u.stored and u.row.problems != u.stored[PROBLEMS_FIELD]
    ]
    if relinked and reg.links and reg.link_table:
        key = ident(reg.key)
        codes = [getattr(u.record, reg.key) for u in relinked]
        gone = fetch_dicts(
            cur, f"DELETE FROM {ident(reg.link_table)} WHERE {key} IN (SELECT unnest(?)) RETURNING *", [codes]
        )
        for row in gone:
            audit(cur, actor.username, "delete", reg.link_table, row[reg.key], row, None, None, IMPORT_REASON)
        insert_many(cur, [link for u in relinked for link in reg.links(u.record, u.row)], actor.username)
    return len(updates)


IMPORT_REASON = "zmiana wczytana z pliku (import)"


def apply_import(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    parsed: ParsedImport,
    mode: str = "all_or_nothing",
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportResult:
    """Write a parsed file in one transaction: all rows or none, or — chosen explicitly — the valid ones.

    New rows are inserted, rows whose key is stored and whose cells differ are updated; rows as in the
    warehouse are left alone. `progress(done, total)` is called every CHUNK rows. Every write is audited.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with transaction(conn) as cur:
        checked = check_import(cur, actor, parsed, today)
        if checked.errors and mode == "all_or_nothing":
            return ImportResult({}, checked.errors, mode)
        total = checked.to_write
        done, written, updated = 0, dict[str, int](), dict[str, int]()
        for sheet in checked.sheets:
            plan = checked.plans[sheet.sheet]
            table = sheet.registry.table
            if plan.new:
                done = _write(cur, actor, sheet, plan.new, done, total, progress)
                written[table] = written.get(table, 0) + len(plan.new)
            if plan.updates:
                updated[table] = updated.get(table, 0) + _update_many(
                    cur, actor, sheet.registry, plan.updates
                )
                done += len(plan.updates)
                if progress:
                    progress(done, total)
            if sheet.registry.written and (plan.new or plan.updates):  # e.g. the waves' kept measures
                sheet.registry.written(cur, [r.record for r in plan.new] + [u.record for u in plan.updates])
        if (written.keys() | updated.keys()) & PLAN_INPUTS:
            refresh_plan_dates(cur)  # the kept plan dates follow, in the same transaction
        if (written.keys() | updated.keys()) & COUNT_INPUTS:
            refresh_case_counts(cur)  # the kept case counts too (a row may move between cases)
        elif (written.keys() | updated.keys()) & REPORTING_INPUTS:
            refresh_task_reporting(cur)  # a case's plan or closure: its tasks' kept reporting
        return ImportResult(written, checked.errors, mode, updated)
