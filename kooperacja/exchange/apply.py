"""Writing an import: references, duplicates and roles checked against the warehouse, then one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import duckdb

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
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.model.records import CaseProblem, Record
from kooperacja.model.vocab import SERVICE_CATEGORIES, TARGET_GROUPS
from kooperacja.warehouse import ident, transaction
from kooperacja.warehouse.store import SEQUENCED, insert_many, reserve_ids

MODES = ("all_or_nothing", "valid_only")
CHUNK = 1000  # rows per insert, and how often the progress callback hears about it
Progress = Callable[[int, int], None]

# field → what it must refer to; checked against the warehouse and the file's earlier valid rows.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "institution": (("seat_terc", "area"),),
    "pzk_member": (("terc", "gmina"), ("institution_id", "institution")),
    "service": (
        ("area_terc", "area"),
        ("institution_id", "institution"),
        ("category", "category"),
        ("target_groups", "target_group"),
        ("problem_areas", "problem"),
    ),
    "case_file": (("terc", "gmina"), (PROBLEMS_FIELD, "problem")),
    "case_goal": (("case_code", "case"),),
    "case_task": (("case_code", "case"), ("goal_id", "goal"), ("institution_id", "institution")),
    "monthly_report": (("task_id", "task"),),
    "step_event": (("terc", "pilot"),),
}
_MISSING = {
    "area": "nieznany kod TERC {v}",
    "gmina": "nieznana gmina {v} (kod TERC spoza rejestru)",
    "pilot": "gmina {v} nie uczestniczy w pilotażu (albo nieznany kod TERC)",
    "institution": "nie ma instytucji nr {v}",
    "case": "nie ma sprawy {v}",
    "goal": "nie ma celu nr {v}",
    "task": "nie ma zadania nr {v}",
    "problem": "nieznany obszar {v}",
    "category": "nieznana kategoria {v}",
    "target_group": "nieznana grupa {v}",
}


@dataclass
class _Known:
    """What rows may refer to: the warehouse's keys and codes, grown by the file's valid rows."""

    refs: dict[str, set[Any]]
    keys: dict[str, set[Any]]
    unique: dict[str, set[tuple]]
    case_terc: dict[str, str] = field(default_factory=dict)
    task_case: dict[int, str] = field(default_factory=dict)
    pilot_start: dict[str, date] = field(default_factory=dict)  # the earlier of joining and plan start


def _column(cur: duckdb.DuckDBPyConnection, sql: str) -> set[Any]:
    return {r[0] for r in cur.execute(sql).fetchall()}


def _load(cur: duckdb.DuckDBPyConnection, tables: list[str]) -> _Known:
    gminy = _column(cur, "SELECT terc FROM gmina")
    areas = gminy | _column(cur, "SELECT terc FROM powiat") | _column(cur, "SELECT terc FROM wojewodztwo")
    known = _Known(
        refs={
            "area": areas,
            "gmina": gminy,
            "pilot": _column(cur, "SELECT terc FROM pilot_gmina"),
            "institution": _column(cur, "SELECT institution_id FROM institution"),
            "goal": _column(cur, "SELECT goal_id FROM case_goal"),
            "problem": _column(cur, "SELECT code FROM problem_area"),
            "category": set(SERVICE_CATEGORIES),
            "target_group": set(TARGET_GROUPS),
        },
        keys={},
        unique={},
        case_terc=dict(cur.execute("SELECT case_code, terc FROM case_file").fetchall()),
        task_case=dict(cur.execute("SELECT task_id, case_code FROM case_task").fetchall()),
        pilot_start=dict(
            cur.execute("SELECT terc, least(joined_on, plan_start) FROM pilot_gmina").fetchall()
        ),
    )
    for table in tables:
        reg = REGISTRIES[table]
        known.keys[table] = _column(cur, f"SELECT {ident(reg.key)} FROM {ident(table)}")
        if reg.unique:
            cols = ", ".join(ident(c) for c in reg.unique)
            known.unique[table] = set(cur.execute(f"SELECT {cols} FROM {ident(table)}").fetchall())
    return known


def _lookup(known: _Known, kind: str) -> Any:
    if kind in ("case", "task"):
        return known.case_terc if kind == "case" else known.task_case
    return known.refs[kind]


def _scope(reg: Registry, record: Record, known: _Known) -> str | None:
    """The area code a row belongs to, for the animator's rule."""
    if reg.table in ("case_goal", "case_task"):
        return known.case_terc.get(record.case_code)  # type: ignore[attr-defined]
    if reg.table == "monthly_report":
        return known.case_terc.get(known.task_case.get(record.task_id, ""))  # type: ignore[attr-defined]
    name = {"institution": "seat_terc", "service": "area_terc"}.get(reg.table, "terc")
    return getattr(record, name)


def _may_import(actor: Actor, reg: Registry, code: str | None) -> bool:
    """Admins import everything; an animator the rows of their gminy (and, for institutions and
    services, of those gminy's powiaty), as the forms allow."""
    if actor.is_admin:
        return True
    if code is None:
        return False
    if reg.table == "institution":
        return any(t.startswith(code) or code.startswith(t[:4]) for t in actor.gminy)
    if reg.table == "service":
        return code in actor.gminy or (len(code) == 4 and code in {t[:4] for t in actor.gminy})
    return code in actor.gminy


def _row_errors(reg: Registry, sheet: str, row: ParsedRow, known: _Known, actor: Actor) -> list[RowError]:
    heads = reg.headers()
    record = row.record
    found = []

    def bad(name: str, value: Any, reason: str) -> None:
        shown = f"{value:%d.%m.%Y}" if isinstance(value, date) else ("" if value is None else str(value))
        found.append(RowError(sheet, row.row, heads[name], shown, reason))

    key = getattr(record, reg.key)
    if key is not None and key in known.keys[reg.table]:
        bad(reg.key, key, "taki klucz jest już w hurtowni")
    if reg.unique and tuple(getattr(record, c) for c in reg.unique) in known.unique[reg.table]:
        bad(reg.unique[0], getattr(record, reg.unique[0]), "taki wpis jest już w hurtowni")
    for name, kind in REFERENCES[reg.table]:
        value = row.problems if name == PROBLEMS_FIELD else getattr(record, name)
        values = value if isinstance(value, list) else [value]
        missing = [v for v in values if v is not None and v not in _lookup(known, kind)]
        if missing:
            bad(name, "; ".join(map(str, values)), _MISSING[kind].format(v=", ".join(map(str, missing))))
    start = known.pilot_start.get(getattr(record, "terc", "")) if reg.table == "step_event" else None
    if start and record.event_on < start:  # type: ignore[attr-defined]
        bad("event_on", record.event_on, f"data przed przystąpieniem gminy do pilotażu ({start:%d.%m.%Y})")  # type: ignore[attr-defined]
    if not found and not _may_import(actor, reg, _scope(reg, record, known)):
        column = {"institution": "seat_terc", "service": "area_terc"}.get(reg.table, "terc")
        column = column if column in heads else "case_code" if "case_code" in heads else reg.key
        bad(
            column,
            getattr(record, column),
            f"brak uprawnień: {actor.username} importuje tylko dane swoich gmin (i ich powiatów)",
        )
    return found


def _remember(reg: Registry, record: Record, known: _Known) -> None:
    key = getattr(record, reg.key)
    if key is not None:
        known.keys[reg.table].add(key)
    if reg.unique:
        known.unique[reg.table].add(tuple(getattr(record, c) for c in reg.unique))
    if reg.table == "institution" and key is not None:
        known.refs["institution"].add(key)
    elif reg.table == "case_file":
        known.case_terc[key] = record.terc  # type: ignore[attr-defined]
    elif reg.table == "case_goal" and key is not None:
        known.refs["goal"].add(key)
    elif reg.table == "case_task" and key is not None:
        known.task_case[key] = record.case_code  # type: ignore[attr-defined]


def check_import(cur: duckdb.DuckDBPyConnection, actor: Actor, parsed: ParsedImport) -> ParsedImport:
    """The parsed file with the errors only the warehouse can tell: keys taken, unknown references,
    rows outside the actor's gminy. Parents are checked first so children may refer to them."""
    if actor.role not in ("admin", "animator"):
        raise AccessDenied(f"Użytkownik {actor.username} ({actor.role}) nie może importować danych.")
    known = _load(cur, [s.registry.table for s in parsed.sheets])
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
    if sheet.registry.table == "case_file":
        links = [
            CaseProblem(case_code=rec.case_code, problem_code=code)  # type: ignore[attr-defined]
            for rec, row in zip(records, rows, strict=True)
            for code in row.problems
        ]
        insert_many(cur, links, actor.username)
    return done


def apply_import(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    parsed: ParsedImport,
    mode: str = "all_or_nothing",
    progress: Progress | None = None,
) -> ImportResult:
    """Write a parsed file in one transaction: all rows or none, or — chosen explicitly — the valid ones.

    `progress(done, total)` is called every CHUNK rows. Every inserted row is audited.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with transaction(conn) as cur:
        checked = check_import(cur, actor, parsed)
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
