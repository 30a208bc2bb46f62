"""Tables to XLSX bytes: Polish headers, real Excel dates shown DD.MM.YYYY, no formulas ever.

Written with xlsxwriter (three times faster than openpyxl's writer on the national registries); every
text is written as text, so a downloaded table never runs a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import is_missing

DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60
MAX_TEXT = 32_767  # characters Excel keeps in a cell
SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN_IN_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})
LISTS = "Listy"  # the hidden sheet holding the drop-down lists (a list in a formula is cut at 255 chars)
# What a column's drop-down offers: the values, or (sheet, header) — the values of another sheet's column.
Choices = list[str] | tuple[str, str]
EXCEL_ROWS = 1_048_576  # rows of an Excel sheet, the header's included
VALIDATED_SPARE = 1000  # rows below the data that keep the drop-down, for rows added in Excel


def _cell_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return value


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (name.translate(_FORBIDDEN_IN_SHEET).strip("'") or "Arkusz")[:SHEET_NAME_MAX]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.bold = wb.add_format({"bold": True})
        self.day = wb.add_format({"num_format": DATE_FORMAT})
        self.moment = wb.add_format({"num_format": DATE_FORMAT + " hh:mm"})


def _write_sheet(ws: Any, df: pd.DataFrame, formats: _Formats) -> None:
    widths = [len(str(c)) for c in df.columns]
    for c, header in enumerate(df.columns):
        ws.write_string(0, c, str(header), formats.bold)
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    for r, row in enumerate(df.itertuples(index=False, name=None), start=1):
        for c, raw in enumerate(row):
            value = _cell_value(raw)
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c, value[:MAX_TEXT])
                if len(value) > widths[c]:
                    widths[c] = len(value)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, datetime):
                write_datetime(r, c, value, formats.moment)
                widths[c] = max(widths[c], 16)
            elif isinstance(value, date):
                write_datetime(r, c, value, formats.day)
                widths[c] = max(widths[c], 10)
            elif isinstance(value, (int, float)) and not (
                isinstance(value, float) and not math.isfinite(value)
            ):
                write_number(r, c, value)
                widths[c] = max(widths[c], len(str(value)))
            else:
                write_string(r, c, str(value)[:MAX_TEXT])
                widths[c] = max(widths[c], len(str(value)))
    for c, width in enumerate(widths):
        ws.set_column(c, c, min(MAX_WIDTH, width + 2))
    ws.freeze_panes(1, 0)


def to_xlsx(
    sheets: pd.DataFrame | Mapping[str, pd.DataFrame],
    sheet_name: str = "Dane",
    choices: Mapping[str, Mapping[str, Choices]] | None = None,
    filters: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """One workbook with a sheet per table; headers as given (pass Polish ones), bold, frozen.

    Text starting with = + - @ stays text: a downloaded table must never run a formula. `choices`
    (sheet → header → values) adds drop-down lists, which warn about, but accept, other values;
    the sheets named in `filters` get filter buttons on their header.
    """
    frames = {sheet_name: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(buffer, {**options, "strings_to_urls": False})
    formats = _Formats(wb)
    taken: set[str] = set()
    titles, sheets_by_name = {}, {}
    too_long = [f"{name} ({len(df)} wierszy)" for name, df in frames.items() if len(df) > EXCEL_ROWS - 1]
    if too_long:  # xlsxwriter would drop the rows past Excel's last one without a word
        raise InvalidInput(
            [f"Arkusz Excela mieści {EXCEL_ROWS - 1} wierszy danych — za dużo w: {', '.join(too_long)}. "
             "Wyeksportuj ten rejestr w częściach (np. --table) albo użyj kopii zapasowej."]
        )  # fmt: skip
    for name, df in frames.items():
        ws = wb.add_worksheet(_sheet_title(name, taken))
        titles[name], sheets_by_name[name] = ws.name, ws
        _write_sheet(ws, df, formats)
        if name in filters and len(df.columns):
            ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    if not frames:
        wb.add_worksheet("Dane")
    if choices:
        _drop_downs(wb, frames, titles, sheets_by_name, choices, taken)
    wb.close()
    return buffer.getvalue()


def _drop_downs(
    wb: Any,
    frames: Mapping[str, pd.DataFrame],
    titles: Mapping[str, str],
    sheets: Mapping[str, Any],
    choices: Mapping[str, Mapping[str, Choices]],
    taken: set[str],
) -> None:
    lists = wb.add_worksheet(_sheet_title(LISTS, taken))
    lists.hide()
    ranges: dict[tuple[str, ...], str] = {}
    for name, columns in choices.items():
        if name not in frames:
            continue
        headers = list(frames[name].columns)
        for header, values in columns.items():
            if header not in headers:
                continue
            if isinstance(values, tuple):
                source = _column_range(frames, titles, *values)
                if source is None:
                    continue
            else:
                key = tuple(values)
                if key not in ranges:
                    col = len(ranges)
                    lists.write_string(0, col, header)
                    for r, value in enumerate(values, start=1):
                        lists.write_string(r, col, value)
                    letter = xl_col_to_name(col)
                    ranges[key] = f"{_quoted(lists.name)}!${letter}$2:${letter}${len(values) + 1}"
                source = ranges[key]
            c = headers.index(header)
            sheets[name].data_validation(
                1,
                c,
                min(len(frames[name]) + VALIDATED_SPARE - 1, EXCEL_ROWS - 1),
                c,
                {
                    "validate": "list",
                    "source": f"={source}",
                    "ignore_blank": True,
                    "error_type": "warning",
                    "error_title": "Wartość spoza listy",
                    "error_message": "Wybierz wartość z listy (import przyjmie też kod albo nazwę "
                    "wpisaną inaczej).",
                },
            )


def _column_range(
    frames: Mapping[str, pd.DataFrame], titles: Mapping[str, str], sheet: str, header: str
) -> str | None:
    if sheet not in frames or header not in frames[sheet].columns:
        return None
    letter = xl_col_to_name(list(frames[sheet].columns).index(header))
    last = min(len(frames[sheet]) + VALIDATED_SPARE, EXCEL_ROWS)
    return f"{_quoted(titles[sheet])}!${letter}$2:${letter}${last}"


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"
