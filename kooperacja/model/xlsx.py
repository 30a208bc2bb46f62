"""Tables to XLSX bytes: Polish headers, real Excel dates shown DD.MM.YYYY, no formulas ever."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from typing import cast

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kooperacja.model.formatting import is_missing

DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60
SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN_IN_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})


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
    base = (name.translate(_FORBIDDEN_IN_SHEET) or "Arkusz")[:SHEET_NAME_MAX]
    title, n = base, 2
    while title in taken:
        suffix = f" ({n})"
        title, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _write_sheet(ws, df: pd.DataFrame) -> None:
    widths = [len(str(c)) for c in df.columns]
    for col, header in enumerate(df.columns, start=1):
        cell = ws.cell(row=1, column=col, value=str(header))
        cell.data_type = TYPE_STRING
        cell.font = Font(bold=True)
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for c, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                # Assign the text and force the string type: openpyxl would store "=..." as a formula.
                cell.value = value
                cell.data_type = TYPE_STRING
                widths[c - 1] = max(widths[c - 1], len(value))
            else:
                cell.value = value
                if isinstance(value, (date, datetime)):
                    cell.number_format = (
                        DATE_FORMAT if not isinstance(value, datetime) else (DATE_FORMAT + " hh:mm")
                    )
                    widths[c - 1] = max(widths[c - 1], 10)
                elif value is not None:
                    widths[c - 1] = max(widths[c - 1], len(str(value)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, width + 2)
    ws.freeze_panes = "A2"


LISTS = "Listy"  # the hidden sheet holding the drop-down lists (a list in a formula is cut at 255 chars)
# What a column's drop-down offers: the values, or (sheet, header) — the values of another sheet's column.
Choices = list[str] | tuple[str, str]


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
    wb = Workbook()
    wb.remove(cast(Worksheet, wb.active))  # a new workbook's one sheet
    taken: set[str] = set()
    titles = {}
    for name, df in frames.items():
        ws = wb.create_sheet(_sheet_title(name, taken))
        titles[name] = ws.title
        _write_sheet(ws, df)
        if name in filters and len(df.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(len(df), 1) + 1}"
    if choices:
        _drop_downs(wb, frames, titles, choices)
    if not frames:
        wb.create_sheet("Dane")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _drop_downs(
    wb: Workbook,
    frames: Mapping[str, pd.DataFrame],
    titles: Mapping[str, str],
    choices: Mapping[str, Mapping[str, Choices]],
) -> None:
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    for name, columns in choices.items():
        if name not in frames:
            continue
        headers = list(frames[name].columns)
        ws = wb[titles[name]]
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
                    col = get_column_letter(len(ranges) + 1)
                    lists.cell(row=1, column=len(ranges) + 1, value=header).data_type = TYPE_STRING
                    for r, value in enumerate(values, start=2):
                        cell = lists.cell(row=r, column=len(ranges) + 1, value=value)
                        cell.data_type = TYPE_STRING
                    ranges[key] = f"{_quoted(LISTS)}!${col}$2:${col}${len(values) + 1}"
                source = ranges[key]
            rule = DataValidation(
                type="list",
                formula1=f"={source}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle="Wartość spoza listy",
                error="Wybierz wartość z listy (import przyjmie też kod albo nazwę wpisaną inaczej).",
            )
            letter = get_column_letter(headers.index(header) + 1)
            rule.add(f"{letter}2:{letter}{max(len(frames[name]), 0) + VALIDATED_SPARE}")
            ws.add_data_validation(rule)


VALIDATED_SPARE = 1000  # rows below the data that keep the drop-down, for rows added in Excel


def _column_range(
    frames: Mapping[str, pd.DataFrame], titles: Mapping[str, str], sheet: str, header: str
) -> str | None:
    if sheet not in frames or header not in frames[sheet].columns:
        return None
    letter = get_column_letter(list(frames[sheet].columns).index(header) + 1)
    return f"{_quoted(titles[sheet])}!${letter}$2:${letter}${len(frames[sheet]) + VALIDATED_SPARE}"


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"
