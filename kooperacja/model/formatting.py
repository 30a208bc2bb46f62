"""Polish presentation of values: dates dd.mm.rrrr, numbers, day counts, and display tables."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any, cast

import numpy as np
import pandas as pd

from kooperacja.model import rules, vocab

NBSP = "\u00a0"  # thousands separator: a non-breaking space keeps "12 345" on one line

# English field name -> Polish column header; one place for every table the pages show.
HEADERS: dict[str, str] = {
    "terc": "TERC",
    "name": "Gmina",
    "gmina": "Gmina",
    "powiat": "Powiat",
    "kind": "Rodzaj gminy",
    "variant": "Wariant modelu",
    "animator": "Animator",
    "joined_on": "W pilotażu od",
    "plan_start": "Start planu",
    "current_step": "Bieżący krok",
    "current_title": "Bieżące zadanie",
    "progress_state": "Stan",
    "delay_days": "Opóźnienie (dni)",
    "overdue": "Kroki po terminie",
    "done": "Kroki zrobione",
    "substeps": "Kroki w planie",
    "month": "Miesiąc planu",
    "pzk_members": "Członkowie PZK",
    "pzk_sectors": "Sektory w PZK",
    "cases_open": "Sprawy otwarte",
    "cases_closed": "Sprawy zamknięte",
    "alerts": "Alerty",
    "step": "Krok",
    "substep": "Podkrok",
    "occurrence": "Miesiąc powtórzenia",
    "title": "Zadanie",
    "level": "Poziom",
    "responsible": "Kto",
    "planned_start": "Plan od",
    "planned_due": "Plan do",
    "started_on": "Rozpoczęto",
    "completed_on": "Zakończono",
    "evidence": "Dowody",
    "last_event_on": "Ostatnie zdarzenie",
    "status": "Status",
    "label": "Opis statusu",
    "days": "Dni",
    "event_on": "Data",
    "event_kind": "Zdarzenie",
    "note": "Uwagi",
    "recorded_by": "Zapisał(a)",
    "rule": "Reguła (kod)",
    "rule_label": "Reguła",
    "subject": "Czego dotyczy",
    "due_on": "Termin",
    "days_over": "Dni po terminie",
    "message": "Opis",
    "institution": "Instytucja",
    "institution_name": "Instytucja",
    "sector": "Sektor",
    "seat_terc": "Siedziba (TERC)",
    "signed_on": "Przystąpiła",
    "left_on": "Wystąpiła",
    "members": "Liczba członków",
    "on_day": "Data",
    "joined": "Przystąpiło",
    "left": "Wystąpiło",
    "membership": "Członkostwo",
    "route": "Tryb zgłoszenia",
    "received_on": "Wpłynęło",
    "first_contact_on": "Pierwszy kontakt",
    "contact_deadline": "Termin kontaktu",
    "count": "Liczba",
    "meeting_kind": "Rodzaj spotkania",
    "report_month": "Miesiąc",
    "last_month": "Ostatni miesiąc",
}
# Columns holding the first day of a month that stands for the month (a monthly report's): in words.
MONTH_COLUMNS = frozenset({"report_month", "last_month"})

# Columns holding codes, and the Polish labels of those codes.
CODE_LABELS: dict[str, Mapping] = {
    "variant": vocab.VARIANTS,
    "sector": vocab.SECTORS,
    "level": vocab.LEVELS,
    "route": vocab.ROUTES,
    "status": {s.value: label for s, label in rules.STATUS_LABELS.items()},
    "event_kind": {"started": "rozpoczęcie", "completed": "zakończenie"},
    "meeting_kind": vocab.MEETING_KINDS,
}


def row_tuples(frame: pd.DataFrame, index: bool = True) -> Iterator[Any]:
    """`frame.itertuples(index)` typed as it is used: a row's fields have the types of the frame's
    columns, which pandas-stubs cannot know (it gives every field the union of all scalars)."""
    return frame.itertuples(index=index)


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(cast(Any, value)))  # any object: the except below is for the odd ones
    except (TypeError, ValueError):
        return False


def fmt_date(value: date | datetime | pd.Timestamp | None) -> str:
    """A date as dd.mm.rrrr; empty for a missing one.

    >>> fmt_date(date(2026, 3, 5)), fmt_date(None)
    ('05.03.2026', '')
    """
    if is_missing(value):
        return ""
    return f"{value:%d.%m.%Y}"


def fmt_datetime(value: datetime | pd.Timestamp | None) -> str:
    """A moment as dd.mm.rrrr gg:mm; empty for a missing one.

    >>> fmt_datetime(datetime(2026, 3, 5, 14, 7, 59)), fmt_datetime(None)
    ('05.03.2026 14:07', '')
    """
    if is_missing(value):
        return ""
    return f"{value:%d.%m.%Y %H:%M}"


MONTHS = (
    "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
    "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
)  # fmt: skip


def fmt_month(value: date | datetime | pd.Timestamp | None) -> str:
    """A month in words, e.g. for a monthly report: "grudzień 2026"; empty for a missing one.

    >>> fmt_month(date(2026, 12, 1)), fmt_month(None)
    ('grudzień 2026', '')
    """
    if value is None or is_missing(value):
        return ""
    return f"{MONTHS[value.month - 1]} {value.year}"


def region_name(name: str) -> str:
    """A województwo's name as a sentence shows it: TERYT writes it in capitals.

    >>> region_name("LUBELSKIE"), region_name("Nadwiślańskie")
    ('lubelskie', 'Nadwiślańskie')
    """
    return name.lower() if name.isupper() else name


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """A number with a non-breaking space between thousands and a decimal comma.

    >>> fmt_number(12345.6, 1) == "12\u00a0345,6"
    True
    >>> fmt_number(-1234), fmt_number(None)
    ('-1\u00a0234', '')
    """
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def plural(n: int, one: str, few: str, many: str) -> str:
    """The number with the right Polish form of a noun: the one plural helper of every count shown.

    >>> [plural(n, "alert", "alerty", "alertów") for n in (1, 2, 5, 12, 22, 0)]
    ['1 alert', '2 alerty', '5 alertów', '12 alertów', '22 alerty', '0 alertów']
    >>> plural(1234, "wiersz", "wiersze", "wierszy") == "1\u00a0234 wiersze"
    True
    """
    return f"{fmt_number(n)} {plural_form(n, one, few, many)}"


def plural_form(n: int, one: str, few: str, many: str) -> str:
    """Only the noun of `plural` ("alerty" for 2), for counts drawn apart from their noun."""
    n = abs(int(n))
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def fmt_days(n: int | None) -> str:
    """Days in words with the right Polish form ("1 dzień", "5 dni")."""
    return "" if is_missing(n) else rules.days_pl(int(n))  # type: ignore[arg-type]


def cell_text(value: object) -> str:
    """How a table cell reads: blank when missing, dates dd.mm.rrrr, numbers in Polish, tak/nie.

    >>> [cell_text(v) for v in (None, date(2026, 1, 2), True, 1234, 2.0, 2.25, "x")] == [
    ...     "", "02.01.2026", "tak", "1\u00a0234", "2", "2,2", "x"]
    True
    """
    if is_missing(value):
        return ""
    if isinstance(value, date | datetime | pd.Timestamp):
        return fmt_date(value)
    if isinstance(value, bool | np.bool_):
        return "tak" if value else "nie"
    if isinstance(value, int) or (hasattr(value, "is_integer") and value.is_integer()):
        return fmt_number(int(cast(float, value)))
    if isinstance(value, float):
        return fmt_number(value, 1)
    return str(value)


def status_label(code: str | None) -> str:
    """The Polish words of a status code ("overdue" -> "po terminie")."""
    return "" if code is None else rules.STATUS_LABELS.get(rules.Status(code), code)


def headers(columns: list[str]) -> list[str]:
    found = {**HEADERS, "contact_state": f"Kontakt w {rules.days_pl(rules.FIRST_CONTACT_DAYS)}"}
    return [found.get(c, c) for c in columns]


def to_display(
    df: pd.DataFrame, columns: list[str] | None = None, extra_labels: Mapping[str, Mapping] | None = None
) -> pd.DataFrame:
    """Pick `columns`, replace codes with their Polish labels and give the columns Polish headers.

    Dates stay dates (the table widget and the XLSX export format them as dd.mm.rrrr), but a
    monthly report's month reads as a month ("grudzień 2026").

    >>> frame = pd.DataFrame({"report_month": [date(2026, 12, 1)], "meeting_kind": ["ggk"]})
    >>> to_display(frame).iloc[0].to_dict()
    {'Miesiąc': 'grudzień 2026', 'Rodzaj spotkania': 'spotkanie GGK/ZZK'}
    """
    out = df[columns].copy() if columns else df.copy()
    labels = {**CODE_LABELS, **(extra_labels or {})}
    for col in out.columns:
        if col in MONTH_COLUMNS:
            out[col] = out[col].map(lambda v: "" if is_missing(v) else fmt_month(v))
        elif col in labels:
            mapping = labels[col]
            out[col] = out[col].map(lambda v, m=mapping: v if is_missing(v) else m.get(v, v))
        elif _mixes_text_and_numbers(out[col]):  # e.g. counts with "<5": one type, or Arrow refuses
            out[col] = out[col].map(cell_text)
    out.columns = headers(list(out.columns))
    return out


def _mixes_text_and_numbers(series: pd.Series) -> bool:
    if series.dtype != object:
        return False
    kinds = {isinstance(v, str) for v in series if not is_missing(v)}
    return kinds == {True, False}


def date_columns(df: pd.DataFrame) -> list[str]:
    """Columns holding dates (datetime dtype, or Python dates in an object column)."""
    found = []
    for col in df.columns:
        series = df[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            found.append(col)
        elif series.dtype == object:
            sample = series.dropna()
            if len(sample) and all(isinstance(v, date) for v in sample.head(20)):
                found.append(col)
    return found
