"""Writing an import: keys, references, roles and every refusal of the rows' forms (the same pure checks),
checked against the warehouse and the file's earlier rows, then one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import duckdb

from kooperacja.cases.checks import (
    CasesContext,
    load_cases_context,
)
from kooperacja.exchange.mapping import (
    PROBLEMS_FIELD,
    REGISTRIES,
    ImportResult,
    ParsedImport,
    ParsedRow,
    ParsedSheet,
    Registry,
    RowError,
)
from kooperacja.model.access import (
    Actor,
    require_write_data,
)
from kooperacja.model.errors import AccessDenied
from kooperacja.model.records import Record
from kooperacja.programme.checks import (
    ProgrammeContext,
    load_programme_context,
)
from kooperacja.warehouse import ident, transaction
from kooperacja.warehouse.store import SEQUENCED, insert_many, reserve_ids

MODES = ("all_or_nothing", "valid_only")
CHUNK = 1000  # rows per insert, and how often the progress callback hears about it
Progress = Callable[[int, int], None]

_MISSING = {
    "area": "nieznany kod TERC {v}",
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
    unique: dict[str, set[tuple]]
    programme: ProgrammeContext
    cases: CasesContext


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
        },
        keys={},
        unique={},
        programme=load_programme_context(cur, today),
        cases=load_cases_context(cur, today),
    )
    for table in tables:
        reg = REGISTRIES[table]
        known.keys[table] = _column(cur, f"SELECT {ident(reg.key)} FROM {ident(table)}")
        if reg.unique:
            cols = ", ".join(ident(c) for c in reg.unique)
            known.unique[table] = set(cur.execute(f"SELECT {cols} FROM {ident(table)}").fetchall())
    return known


def _lookup(known: _Known, kind: str) -> Any:
    contexts = {
        "case": known.cases.cases,
        "goal": known.cases.goal_case,
        "task": known.cases.task_case,
        "institution": known.programme.institutions,
    }
    return contexts[kind] if kind in contexts else known.refs[kind]


def _row_errors(reg: Registry, sheet: str, row: ParsedRow, known: _Known, actor: Actor) -> list[RowError]:
    heads = reg.headers()
    record = row.record
    found = []

    def bad(name: str, value: Any, reason: str) -> None:
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        shown = f"{value:%d.%m.%Y}" if isinstance(value, date) else ("" if value is None else str(value))
        found.append(RowError(sheet, row.row, heads[name], shown, reason))

    key = getattr(record, reg.key)
    if key is not None and key in known.keys[reg.table]:
        bad(reg.key, key, "taki klucz jest już w hurtowni")
    if reg.unique and tuple(getattr(record, c) for c in reg.unique) in known.unique[reg.table]:
        bad(reg.unique[0], getattr(record, reg.unique[0]), "taki wpis jest już w hurtowni")
    for name, kind in reg.references:
        value = row.problems if name == PROBLEMS_FIELD else getattr(record, name)
        values = value if isinstance(value, list) else [value]
        missing = [v for v in values if v is not None and v not in _lookup(known, kind)]
        if missing:
            bad(name, values, _MISSING[kind].format(v=", ".join(map(str, missing))))
    if found:
        return found
    try:
        reg.permission(actor, record, known)
    except AccessDenied as exc:
        bad(reg.scope, getattr(record, reg.scope), f"brak uprawnień: {exc.message}")
        return found
    for problem in reg.check(row, known, actor) if reg.check else []:
        value = row.problems if problem.field == PROBLEMS_FIELD else getattr(record, problem.field)
        bad(problem.field, value, problem.message)
    return found


def _remember(reg: Registry, record: Record, known: _Known) -> None:
    key = getattr(record, reg.key)
    if key is not None:
        known.keys[reg.table].add(key)
    if reg.unique:
        known.unique[reg.table].add(tuple(getattr(record, c) for c in reg.unique))
    known.programme.remember(record)
    known.cases.remember(record)


def check_import(
    cur: duckdb.DuckDBPyConnection, actor: Actor, parsed: ParsedImport, today: date | None = None
) -> ParsedImport:
    """The parsed file with the errors only the warehouse can tell: keys taken, unknown references,
    rows outside the actor's gminy, and every refusal the row's form makes (the same checks, with
    the file's earlier rows as context). Parents are checked first so children may refer to them."""
    require_write_data(actor)
    known = _load(cur, [s.registry.table for s in parsed.sheets], today or date.today())
    errors = list(parsed.errors)
    bad = parsed.bad_rows()
    for sheet in parsed.sheets:
        for row in sheet.rows:
            if (sheet.sheet, row.row) in bad:
                continue
            found = _row_errors(sheet.registry, sheet.sheet, row, known, actor)
            errors += found
            if not found:
                _remember(sheet.registry, row.record, known)
    order = {s.sheet: i for i, s in enumerate(parsed.sheets)}
    return replace(parsed, errors=sorted(errors, key=lambda e: (order.get(e.sheet, 0), e.row)))


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
    records = _with_keys(cur, sheet.registry, [r.record for r in rows])
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


def apply_import(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    parsed: ParsedImport,
    mode: str = "all_or_nothing",
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportResult:
    """Write a parsed file in one transaction: all rows or none, or — chosen explicitly — the valid ones.

    `progress(done, total)` is called every CHUNK rows. Every inserted row is audited.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with transaction(conn) as cur:
        checked = check_import(cur, actor, parsed, today)
        if checked.errors and mode == "all_or_nothing":
            return ImportResult({}, checked.errors, mode)
        bad = checked.bad_rows()
        plan = [(s, [r for r in s.rows if (s.sheet, r.row) not in bad]) for s in checked.sheets]
        total = sum(len(rows) for _, rows in plan)
        done, written = 0, dict[str, int]()
        for sheet, rows in plan:
            done = _write(cur, actor, sheet, rows, done, total, progress)
            written[sheet.registry.table] = written.get(sheet.registry.table, 0) + len(rows)
        return ImportResult(written, checked.errors, mode)
