"""What a pure check of one record returns: problems naming a field, shown by a form or an import report.

A check (programme.checks, cases.checks, lku_checks) takes one record and a small context loaded from
the warehouse and returns `Problem`s; it never reads the warehouse itself. A form joins each problem as
"Etykieta pola: powód" and raises InvalidInput; the import reports it in the field's column.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import Record, label


@dataclass(frozen=True)
class Problem:
    """One reason a record is refused: the field it is about and the Polish reason (without the label)."""

    field: str
    message: str


def future(field: str, day: date | None, today: date) -> list[Problem]:
    """A date that has not come yet (every form refuses recording the future)."""
    return [Problem(field, f"{day:%d.%m.%Y} jest w przyszłości")] if day and day > today else []


def texts(
    model: type[Record], problems: Iterable[Problem], labels: Mapping[str, str] | None = None
) -> list[str]:
    """The problems as the form shows them: "Etykieta pola: powód" (`labels`: fields kept beside the row)."""
    return [f"{(labels or {}).get(p.field) or label(model, p.field)}: {p.message}" for p in problems]


def refuse(model: type[Record], problems: Iterable[Problem], only: Collection[str] | None = None) -> None:
    """Raise InvalidInput with the problems (only those about the fields in `only`, when given)."""
    chosen = [p for p in problems if only is None or p.field in only]
    if chosen:
        raise InvalidInput(texts(model, chosen))
