"""The registries that travel as XLSX/CSV: Polish header ↔ field, cell ↔ value, and the import report.

A registry is described once, here: its sheet, record, what its rows refer to, the pure check its
form calls and the access rule its form uses. A new registry is one `Registry(...)` below.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.utils.datetime import from_excel

from kooperacja.cases.checks import LABELS, PROBLEMS, check_case_file, check_case_task, check_monthly_report
from kooperacja.lku_checks import ServiceContext, check_service
from kooperacja.model import access
from kooperacja.model.access import Actor
from kooperacja.model.checks import Problem
from kooperacja.model.records import (
    KEY_HEADERS,
    CaseFile,
    CaseGoal,
    CaseProblem,
    CaseTask,
    Institution,
    MonthlyReport,
    PzkMember,
    Record,
    Service,
    StepEvent,
)
from kooperacja.programme.checks import check_pzk_member, check_step_event

LIST_SEPARATOR = ";"
PROBLEMS_FIELD = PROBLEMS  # case_file's problem areas, kept in case_problem
PROBLEMS_HEADER = LABELS[PROBLEMS]


# (parsed row, the file's context, actor) → the form's refusals; the context is exchange.apply's,
# loaded once per file: `.refs`, `.programme` (programme.checks), `.cases` (cases.checks).
RowCheck = Callable[[Any, Any, Actor], list[Problem]]
# (actor, record, context) → raises AccessDenied unless the actor's form could write the row
Permission = Callable[[Actor, Any, Any], None]


def _case_terc(known: Any, case_code: str | None) -> str | None:
    case = known.cases.cases.get(case_code or "")
    return case.terc if case else None


def _edit_gmina(actor: Actor, record: Any, known: Any) -> None:
    """The forms' default rule: the row's gmina is the actor's; a row without one is the ROPS's own."""
    if record.terc is None:
        access.require_admin(actor)
    else:
        access.require_edit_gmina(actor, record.terc)


def _edit_case(actor: Actor, record: Any, known: Any) -> None:
    access.require_edit_gmina(actor, _case_terc(known, record.case_code))


def _edit_task(actor: Actor, record: Any, known: Any) -> None:
    access.require_edit_gmina(actor, _case_terc(known, known.cases.task_case.get(record.task_id)))


def _check_service(row: Any, known: Any, actor: Actor) -> list[Problem]:
    return check_service(row.record, ServiceContext(known.refs["problem"], known.programme.institutions))


@dataclass(frozen=True)
class Registry:
    """One registry: its table, sheet name, record and the columns unique together besides the key;
    for the import, what its fields refer to (field, kind of key), its form's pure check, its form's
    access rule and the column a refusal of that rule is reported in."""

    table: str
    sheet: str
    model: type[Record]
    unique: tuple[str, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    check: RowCheck | None = None
    permission: Permission = _edit_gmina
    scope: str = "terc"
    links: Callable[[Any, Any], list[Record]] | None = None  # (record, parsed row) → rows of a link table

    @property
    def key(self) -> str:
        return self.model.KEY

    def headers(self) -> dict[str, str]:
        """Field → Polish header, in the order of the record (plus the case's problem areas)."""
        out = {}
        for name, info in self.model.model_fields.items():
            out[name] = info.title or KEY_HEADERS.get(name, name)
        if self.table == "case_file":
            out[PROBLEMS_FIELD] = PROBLEMS_HEADER
        return out

    def required(self) -> list[str]:
        """Headers a file must have: the required fields (a missing generated key means new rows)."""
        heads = self.headers()
        return [heads[n] for n, info in self.model.model_fields.items() if info.is_required()]


# Parents first: a file's rows may refer to rows of an earlier sheet of the same file. The references
# a check reports itself (a step event's or a case's pilot gmina, a PZK row's institution) are left
# to that check, so that a row gets one reason, the form's.
REGISTRIES: dict[str, Registry] = {
    r.table: r
    for r in (
        Registry(
            "institution",
            "Instytucje",
            Institution,
            references=(("seat_terc", "area"),),
            permission=lambda a, r, k: access.require_edit_institution(a, r.seat_terc),
            scope="seat_terc",
        ),
        Registry(
            "pzk_member",
            "Członkowie PZK",
            PzkMember,
            check=lambda w, k, a: check_pzk_member(w.record, k.programme),
        ),
        Registry(
            "service",
            "Usługi",
            Service,
            references=(("area_terc", "area"),),
            check=lambda w, k, a: check_service(
                w.record, ServiceContext(k.refs["problem"], k.programme.institutions)
            ),
            permission=lambda a, r, k: access.require_edit_service(a, r.level, r.area_terc),
            scope="area_terc",
        ),
        Registry(
            "case_file",
            "Sprawy",
            CaseFile,
            references=((PROBLEMS_FIELD, "problem"),),
            check=lambda w, k, a: check_case_file(w.record, k.cases, w.problems),
            links=lambda rec, row: [
                CaseProblem(case_code=rec.case_code, problem_code=c) for c in row.problems
            ],
        ),
        Registry(
            "case_goal",
            "Cele spraw",
            CaseGoal,
            references=(("case_code", "case"),),
            permission=_edit_case,
            scope="case_code",
        ),
        Registry(
            "case_task",
            "Zadania spraw",
            CaseTask,
            references=(("case_code", "case"), ("goal_id", "goal"), ("institution_id", "institution")),
            check=lambda w, k, a: check_case_task(w.record, k.cases),
            permission=_edit_case,
            scope="case_code",
        ),
        Registry(
            "monthly_report",
            "Sprawozdania miesięczne",
            MonthlyReport,
            ("task_id", "month"),
            references=(("task_id", "task"),),
            check=lambda w, k, a: check_monthly_report(w.record, k.cases),
            permission=_edit_task,
            scope="task_id",
        ),
        Registry(
            "step_event",
            "Zdarzenia kroków",
            StepEvent,
            check=lambda w, k, a: check_step_event(w.record, k.programme, a),
            # a region-level event (no gmina) is the ROPS's own: admins only, as in the form
            permission=lambda a, r, k: (
                access.require_edit_gmina(a, r.terc) if r.terc else access.require_admin(a)
            ),
        ),
    )
}
BY_SHEET = {r.sheet.lower(): r for r in REGISTRIES.values()} | {t: r for t, r in REGISTRIES.items()}


def field_kind(model: type[Record], name: str) -> str:
    """'date', 'int', 'list', 'bool' or 'str': how a cell of this field is read."""
    if name == PROBLEMS_FIELD:
        return "list"
    annotation = model.model_fields[name].annotation
    args = (
        typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) or (typing.get_origin(annotation) is typing.Union)
        else (annotation,)
    )
    for arg in args:
        if typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        if arg is type(None):
            continue
        if arg is date:
            return "date"
        if arg is bool:
            return "bool"
        if arg is int:
            return "int"
        if typing.get_origin(arg) is list:
            return "list"
    return "str"


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value: Any) -> date:
    """A cell as a date: an Excel date, an Excel day number, dd.mm.rrrr or rrrr-mm-dd.

    >>> parse_date("05.03.2026"), parse_date("2026-03-05")
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (OverflowError, ValueError):  # 1e20, inf, nan: no calendar day has that number
            raise ValueError(f"liczba {value} jest poza zakresem dat (oczekiwano dd.mm.rrrr)") from None
    text = str(value).strip()
    found = _DMY.fullmatch(text)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    found = _YMD.fullmatch(text.split(" ")[0]) if parts is None else None
    parts = (found.group(1), found.group(2), found.group(3)) if found else parts
    if parts is None:
        raise ValueError(f"niepoprawna data „{text}” (oczekiwano dd.mm.rrrr)")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(f"nie ma takiego dnia: {text}") from None


@dataclass(frozen=True)
class UnreadCell:
    """An XLSX cell with no value to import: a formula saved without its result, or an error (#N/A)."""

    shown: str  # what the report shows in „Wartość”
    reason: str

    def __str__(self) -> str:
        return self.shown


def to_value(kind: str, name: str, value: Any) -> Any:
    """A cell (openpyxl value or CSV text) as the field's Python value; raises ValueError in Polish."""
    if isinstance(value, UnreadCell):
        raise ValueError(value.reason)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return [] if kind == "list" else None
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"-?\d+", value)):
            return int(value)
        raise ValueError("oczekiwano liczby całkowitej")
    if kind == "list":
        return [p.strip() for p in str(value).split(LIST_SEPARATOR) if p.strip()]
    if kind == "bool":
        return {"tak": True, "nie": False, "true": True, "false": False}.get(str(value).lower(), value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and name == "terc":
        return f"{value:07d}"  # a TERC typed as a number loses its leading zero
    if isinstance(value, (datetime, date)):
        return f"{value:%d.%m.%Y}"
    return str(value)


def to_cell(value: Any) -> Any:
    """A warehouse value as an export cell: lists joined with "; ", the rest as is."""
    if isinstance(value, (list, tuple)):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value) or None
    return value


@dataclass(frozen=True)
class RowError:
    """One problem of one row (row 0: the sheet as a whole)."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ParsedRow:
    row: int
    record: Record
    problems: list[str] = field(default_factory=list)  # case_file: problem area codes


@dataclass
class ParsedSheet:
    registry: Registry
    sheet: str
    rows: list[ParsedRow] = field(default_factory=list)
    raw: dict[int, dict[str, Any]] = field(default_factory=dict)  # row → header → cell, for reports
    total: int = 0


@dataclass
class ParsedImport:
    """What a file holds: valid-looking rows per sheet and every row-level error found so far."""

    filename: str
    sheets: list[ParsedSheet]
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sheets)

    def bad_rows(self) -> set[tuple[str, int]]:
        return {(e.sheet, e.row) for e in self.errors}

    def report(self) -> pd.DataFrame:
        """Errors first (by sheet and row), then one line per sheet with its count of good rows."""
        bad = self.bad_rows()
        lines: list[tuple[str, int | None, str, str, str]] = [
            (e.sheet, e.row, e.column, e.value, e.reason) for e in self.errors
        ]
        for s in self.sheets:
            good = s.total - len({r for sh, r in bad if sh == s.sheet})
            lines.append((s.sheet, None, "", "", f"poprawnych wierszy: {good} z {s.total}"))
        return pd.DataFrame(lines, columns=["Arkusz", "Wiersz", "Kolumna", "Wartość", "Powód"])

    def summary(self) -> list[str]:
        bad = self.bad_rows()
        return [
            f"{s.sheet}: {s.total} wierszy, z błędami {len({r for sh, r in bad if sh == s.sheet})}"
            for s in self.sheets
        ]


@dataclass
class ImportResult:
    written: dict[str, int]
    errors: list[RowError]
    mode: str

    @property
    def total_written(self) -> int:
        return sum(self.written.values())

    def lines(self) -> list[str]:
        sheets = {t: REGISTRIES[t].sheet for t in self.written}
        out = [f"{sheets[t]}: zapisano {n}" for t, n in self.written.items()]
        if self.errors and not self.total_written:
            out.append(f"Nic nie zapisano: {len(self.errors)} błędów w pliku.")
        elif self.errors:
            out.append(f"Pominięto wiersze z błędami ({len(self.errors)} błędów).")
        return out
