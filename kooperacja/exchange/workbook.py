"""Registries to XLSX and back: export, reading an XLSX/CSV into validated rows with row-level errors."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from datetime import date
from typing import IO, Any

import duckdb
import pandas as pd
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import (
    FORMULA_TAG,
    INLINE_STRING,
    WorkSheetParser,
)  # the parser read-only mode uses
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, iterparse

from kooperacja.exchange import stream
from kooperacja.exchange.apply import apply_import, check_import, stamp
from kooperacja.exchange.cells import fold
from kooperacja.exchange.mapping import (
    BY_SHEET,
    LIST_SEPARATOR,
    PROBLEMS_FIELD,
    REGISTRIES,
    ImportResult,
    ParsedImport,
    ParsedRow,
    ParsedSheet,
    Registry,
    RowError,
    Stamp,
    UnreadCell,
    to_cell,
)
from kooperacja.exchange.text import decode_csv, separator, single_member
from kooperacja.model import xlsx as export
from kooperacja.model.errors import InvalidInput
from kooperacja.warehouse import ident

__all__ = [
    "ImportResult",
    "ParsedImport",
    "apply_import",
    "check_import",
    "export_registries",
    "export_to",
    "labelled_frame",
    "parse_file",
    "registry_frame",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # what the XLSX's parts may add up to once unzipped
MAX_RATIO = 200  # a sheet part packed tighter than this is a zip bomb, not a spreadsheet
MAX_ROWS = 50_000
MAX_CELLS = 1_000_000  # cells an XLSX may hold: 50 000 rows of the widest registry (19 columns)
MAX_STRINGS = 250_000  # distinct texts (shared strings): openpyxl loads them all on open, ~30 µs each
NOT_A_SHEET = (
    "Plik nie jest arkuszem (XLSX, XLSM, XLS, ODS) ani plikiem CSV. Zapisz dane w Excelu jako .xlsx albo CSV."
)


def registry_frame(conn: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """One registry with Polish headers, ordered by key; lists as "a; b; c", dates as dates."""
    reg = _registry(table)
    heads = reg.headers()
    cols = [ident(f) for f in heads if f != PROBLEMS_FIELD]
    select = ", ".join(f"t.{c}" for c in cols)
    if table == "case_file":
        select += (
            ", (SELECT list(p.problem_code ORDER BY p.problem_code) FROM case_problem p "
            "WHERE p.case_code = t.case_code)"
        )
    order = ", ".join(f"t.{ident(k)}" for k in reg.key_fields)
    where = f"WHERE {reg.rows}" if reg.rows else ""
    rows = conn.execute(f"SELECT {select} FROM {ident(table)} t {where} ORDER BY {order}").fetchall()
    return pd.DataFrame(
        [[to_cell(v) for v in row] for row in rows], columns=list(heads.values()), dtype=object
    )


def labelled_frame(conn: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """The registry as the export shows it: Polish labels in code columns, tak/nie for yes/no."""
    frame = registry_frame(conn, table)
    for column in _registry(table).columns.values():
        if column.kind == "list" and column.codes is not None:  # each code of "a; b" by its label
            frame[column.header] = [
                column.cell(v.split(f"{LIST_SEPARATOR} ")) if isinstance(v, str) else v
                for v in frame[column.header]
            ]
        elif column.codes is not None or column.kind == "bool":
            frame[column.header] = [column.cell(v) for v in frame[column.header]]
    return frame


GUIDE = "Instrukcja"
STAMP_LABEL = "Znacznik eksportu (nie zmieniaj — po nim import rozpozna wiersze zmienione w hurtowni później)"


def guide(chosen: list[str], mark: Stamp) -> pd.DataFrame:
    """The Instrukcja sheet: what each sheet holds, its required columns, how to load the file back."""
    rows = [
        ("Jak używać", "Zmień komórki w arkuszach i wczytaj plik w Kooperacji (Administracja → Import) albo "
         "poleceniem: python -m kooperacja import PLIK --apply. Wiersz z kluczem z hurtowni jest "
         "porównywany pole po polu: import pokazuje każdą zmienioną komórkę i zapisuje dopiero po "
         "potwierdzeniu. Wiersz bez klucza (pusta kolumna „ID …”) to nowy wiersz. Import nie usuwa "
         "wierszy: wiersz usunięty z arkusza zostaje w hurtowni.", ""),
        ("Kody", "W kolumnach z listą rozwijaną wybierz wartość z listy; import przyjmuje też kody i "
         "nazwy wpisane małymi lub wielkimi literami, z polskimi znakami lub bez. Kody TERC są "
         "tekstem: Excel, który zgubi zero na początku, nie szkodzi — import je przywróci.", ""),
        *[
            (_registry(t).sheet, _registry(t).about, ", ".join(_registry(t).required()))
            for t in chosen
        ],
        (STAMP_LABEL, mark.text(), ""),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Arkusz", "Co zawiera", "Kolumny wymagane"], dtype=object)


def export_registries(
    conn: duckdb.DuckDBPyConnection,
    tables: Iterable[str] | None = None,
    progress: stream.Progress | None = None,
) -> bytes:
    """An XLSX with one sheet per registry (all by default), ready to be edited and imported back:
    an Instrukcja sheet first (with the stamp the import's stale check reads), Polish headers and
    labels, drop-down lists for code columns, frozen headers and filters. A registry past Excel's
    last row carries on in "<sheet> (2)", which the import reads as the same registry.
    `progress(rows written, rows in all, sheet)` is called as the rows are written."""
    buffer = io.BytesIO()
    export_to(conn, buffer, tables, progress)
    return buffer.getvalue()


def export_to(
    conn: duckdb.DuckDBPyConnection,
    target: IO[bytes],
    tables: Iterable[str] | None = None,
    progress: stream.Progress | None = None,
) -> None:
    """`export_registries` written into a file (the CLI's: a national export never sits in memory)."""
    chosen = list(tables) if tables else list(REGISTRIES)
    regs = [_registry(t) for t in chosen]
    mark = stamp(conn.cursor())
    choices: dict[str, dict[str, export.Choices]] = {}
    for reg in regs:
        lists: dict[str, export.Choices] = {
            c.header: c.choices() for c in reg.columns.values() if c.choices()
        }
        for name, column in reg.columns.items():
            parent = REFERS_TO.get(name)
            if parent and parent != reg.table and parent in chosen:
                lists[column.header] = (_registry(parent).sheet, _registry(parent).headers()[name])
        choices[reg.sheet] = lists
    stream.write(conn, target, guide(chosen, mark), regs, choices, progress, guide_title=GUIDE)


# A key column naming a row of another registry: its drop-down lists that sheet's keys.
REFERS_TO = {
    "institution_id": "institution",
    "case_code": "case_file",
    "goal_id": "case_goal",
    "task_id": "case_task",
    "service_id": "service",
    "meeting_id": "meeting",
    "member_id": "wzk_member",
}


def _registry(table: str) -> Registry:
    if table not in REGISTRIES:
        names = ", ".join(REGISTRIES)
        raise InvalidInput([f"Nieznana tabela {table} — dostępne: {names}"])
    return REGISTRIES[table]


def _n(count: int) -> str:
    """A count the Polish way: 1 000 000."""
    return f"{count:,}".replace(",", " ")


def _check_zip(data: bytes) -> zipfile.ZipFile:
    """Refuse a zip bomb by the sizes its directory declares, before anything is unpacked.

    zipfile never unpacks more than a member's declared size (a member that holds more fails its
    CRC check), so the declared sizes bound everything read later.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise InvalidInput([NOT_A_SHEET]) from None
    unpacked = sum(i.file_size for i in infos)
    bomb = [
        i
        for i in infos
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
    ]
    if unpacked > MAX_UNPACKED or bomb:
        why = (
            f"część {bomb[0].filename} jest spakowana ponad {MAX_RATIO}-krotnie"
            if bomb and unpacked <= MAX_UNPACKED
            else f"limit to {MAX_UNPACKED // 2**20} MB"
        )
        raise InvalidInput(
            [
                f"Plik XLSX po rozpakowaniu miałby {unpacked // 2**20} MB ({why}) — to nie jest "
                "zwykły arkusz; odrzucono go bez otwierania."
            ]
        )
    return archive


_SST = re.compile(rb"<([\w.-]+:)?sst\b[^>]*>")
_COUNTS = re.compile(rb"""\b(count|uniqueCount)\s*=\s*["'](\d{1,15})["']""")


def _strings_part(archive: zipfile.ZipFile) -> str | None:
    """The shared-strings part, found the way openpyxl finds it (the package's content types)."""
    try:
        root: Any = fromstring(archive.read("[Content_Types].xml"))
        manifest: Any = Manifest.from_tree(root)
    except Exception:  # a broken package: openpyxl refuses it next, with the "damaged" message
        return None
    part = manifest.find(SHARED_STRINGS)
    name = part.PartName[1:] if part is not None else None
    return name if name in archive.NameToInfo else None


def _too_many_strings(count: str) -> InvalidInput:
    return InvalidInput(
        [
            f"Plik XLSX ma {count} różnych tekstów — limit to {_n(MAX_STRINGS)}. To za dużo jak na "
            "rejestr: podziel plik na mniejsze części. Odrzucono go bez wczytywania."
        ]
    )


def _check_strings(archive: zipfile.ZipFile) -> None:
    """Refuse too many shared strings before openpyxl loads them all (it does, at open, whatever the
    rows): the counts the part declares first, then the strings counted while unzipping, stopping at
    the limit — a part that understates its count costs no more than an honest one."""
    name = _strings_part(archive)
    if name is None:
        return
    with archive.open(name) as src:
        chunk = src.read(1 << 16)
        head = _SST.search(chunk)
        declared = {k.decode(): int(v) for k, v in _COUNTS.findall(head.group())} if head else {}
        if declared.get("uniqueCount", 0) > MAX_STRINGS:  # the distinct texts
            raise _too_many_strings(_n(declared["uniqueCount"]))
        if declared.get("count", 0) > MAX_CELLS:  # the cells holding one of them
            raise _too_many_cells(_n(declared["count"]))
        prefix = (head.group(1) or b"") if head else b""
        start = b"<" + prefix + b"si"  # no other element of the table starts so: <si>, <si/>, <t>, <r>
        counted, carry = 0, b""
        while chunk:  # bytes.count: ten times faster than a regular expression
            buffer = carry + chunk
            counted += buffer.count(start)
            if counted > MAX_STRINGS:
                raise _too_many_strings(f"ponad {_n(MAX_STRINGS)}")
            carry, chunk = buffer[-len(start) + 1 :], src.read(1 << 20)


def _too_many_cells(count: str) -> InvalidInput:
    return InvalidInput(
        [
            f"Plik XLSX ma {count} komórek — limit to {_n(MAX_CELLS)}. Podziel plik na mniejsze części "
            "(albo usuń puste wiersze i kolumny poza danymi). Odrzucono go bez wczytywania."
        ]
    )


def _check_sizes(worksheets: list[Any]) -> None:
    """Refuse sheets too big by the dimensions they declare (read at open), before any row is read."""
    cells = 0
    for ws in worksheets:
        rows, columns = ws.max_row or 0, ws.max_column or 0
        if rows - 1 > MAX_ROWS:
            raise InvalidInput(
                [
                    f"Arkusz {ws.title}: zakres {ws.calculate_dimension()} ma {_n(rows)} wierszy — limit "
                    f"to {_n(MAX_ROWS)} wierszy danych. Podziel plik na mniejsze części (albo usuń puste "
                    "wiersze pod danymi). Odrzucono go bez wczytywania."
                ]
            )
        cells += rows * columns
    if cells > MAX_CELLS:
        raise _too_many_cells(_n(cells))


class _CachedValues(WorkSheetParser):
    """openpyxl's sheet parser reading a formula by the value Excel saved with it (data_only); a formula
    saved without one (the file was never opened in Excel) or an error value (#N/A) is an UnreadCell,
    not an empty cell."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        inline = element.find(INLINE_STRING) if element.get("t") == "inlineStr" else None
        if inline is not None:  # openpyxl's own files: read without an object per text
            element.remove(inline)
        cell: dict[str, Any] = super().parse_cell(element)
        if inline is not None:
            cell["value"], cell["data_type"] = _text(inline), "s"
        formula = element.find(FORMULA_TAG)
        if formula is not None and cell["value"] is None:
            shown = f"={formula.text or ''}"
            cell["value"] = UnreadCell(
                shown,
                "formuła bez zapisanej wartości (plik nie był otwarty w Excelu) — otwórz go w Excelu i "
                "zapisz albo wpisz wartość zamiast formuły",
            )
        elif element.get("t") == "e" or cell["data_type"] == "e":
            cell["value"] = UnreadCell(str(cell["value"]), f"komórka zawiera błąd {cell['value']}")
        return cell


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


def _strings(source: Any) -> list[str]:
    """The shared strings as openpyxl reads them (a text's own <t> and its runs' <t>, phonetic hints
    left out), without building an object per string: five times faster on a 10,000-row export."""
    out = []
    for _, node in iterparse(source):
        if node.tag == _SI:
            out.append(_text(node))
            node.clear()
    return out


def _text(node: Any) -> str:
    """A string item's text (<si> or an inline <is>): its <t> and its runs' <t>, as openpyxl's Text."""
    parts = []
    for child in node:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            t = child.find(_T)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts).replace("x005F_", "")


class _Reader(ExcelReader):
    """openpyxl's workbook reader with a faster shared-strings table."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as src:
                self.shared_strings = _strings(src)


def _xlsx_sheets(data: bytes, archive: zipfile.ZipFile) -> Iterator[tuple[str | None, Iterator[tuple]]]:
    _check_strings(archive)
    try:
        reader = _Reader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
        wb = reader.wb
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(["Plik XLSX jest uszkodzony albo nie jest arkuszem Excela."]) from None
    sheets: list[Any] = list(wb.worksheets)  # ReadOnlyWorksheet: its private parts are read below
    _check_sizes(sheets)
    for ws in sheets:
        yield ws.title, _xlsx_rows(wb, ws)


def _xlsx_rows(wb: Any, ws: Any) -> Iterator[tuple]:
    """The sheet's rows by cached values, as many as it holds (not cut at a declared dimension).

    Refuses the file when a row cannot be read (naming sheet and row), past the row or cell limit, and
    — once the sheet is read — when merged cells reach into its data: a merged range keeps its value in
    the first cell only and would import the others as empty (an empty TERC is a region-level event).
    """
    with wb._archive.open(ws._worksheet_path) as src:
        parser = _CachedValues(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        extent = yield from _parsed_rows(ws.title, parser)
    _check_merged(ws.title, parser.merged_cells, extent)


def _parsed_rows(sheet: str, parser: _CachedValues) -> Generator[tuple, None, tuple[int, int]]:
    """Rows as tuples of values (missing rows empty); returns the extent of the filled cells."""
    rows, expected, cells, extent = parser.parse(), 1, 0, (0, 0)
    while True:
        try:
            number, found = next(rows)
        except StopIteration:
            break
        except Exception:  # openpyxl raises many kinds (OverflowError, ValueError…) for a broken cell
            raise InvalidInput(
                [f"Arkusz {sheet}, wiersz {expected}: komórki nie da się odczytać (uszkodzony arkusz)."]
            ) from None
        if number < expected:  # rows out of order: openpyxl skips them too
            continue
        if number - 1 > MAX_ROWS:
            raise InvalidInput([f"Plik ma ponad {MAX_ROWS} wierszy — podziel go na mniejsze części."])
        cells += len(found)
        if cells > MAX_CELLS:
            raise _too_many_cells(f"ponad {_n(MAX_CELLS)}")
        yield from [()] * (number - expected)
        row: list[Any] = [None] * max((c["column"] for c in found), default=0)
        for c in found:
            row[c["column"] - 1] = c["value"]
        filled = [i for i, v in enumerate(row, start=1) if v is not None and str(v).strip() != ""]
        if filled:
            extent = (number, max(extent[1], filled[-1]))
        expected = number + 1
        yield tuple(row)
    return extent


SHOWN_RANGES = 5  # merged ranges named in the refusal


def _check_merged(sheet: str, merged: Any, extent: tuple[int, int]) -> None:
    refs = [m.coord for m in (merged.mergeCell if merged is not None else [])]
    inside = []
    for ref in refs:
        min_col, min_row, _, _ = range_boundaries(ref)
        if min_row is not None and min_col is not None and min_row <= extent[0] and min_col <= extent[1]:
            inside.append(ref)
    if inside:
        _refuse_merged(sheet, inside)


def _refuse_merged(sheet: str, inside: list[str]) -> None:
    more = len(inside) - SHOWN_RANGES
    shown = ", ".join(inside[:SHOWN_RANGES]) + (f" i {more} innych" if more > 0 else "")
    raise InvalidInput(
        [f"Arkusz {sheet}: scalone komórki {shown} — rozdziel je i wpisz wartość w każdym wierszu"]
    )


def _csv_rows(data: bytes) -> Iterator[tuple]:
    text = decode_csv(data, binary=NOT_A_SHEET)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
    row_number = 0  # as the import report counts rows: the header is row 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput([_csv_problem(row_number + 1, exc)]) from None
        row_number += 1
        yield tuple(row)


def _csv_problem(row: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit() // 1024
        return (
            f"Plik CSV, wiersz {row}: pole dłuższe niż {limit} KiB — to nie wygląda na dane rejestru "
            "(sprawdź, czy plik ma zamknięte cudzysłowy, albo skróć pole)."
        )
    return f"Plik CSV, wiersz {row}: niepoprawna budowa wiersza (np. niezamknięty cudzysłów)."


def _norm(header: Any) -> str:
    """A header or sheet name as compared: any case, with or without Polish letters."""
    return fold(header or "")


_FOLDED_SHEETS = {_norm(r.sheet): r for r in REGISTRIES.values()}


def _pick_registry(name: str | None, headers: list[str], table: str | None, alone: bool) -> Registry | None:
    """The registry a sheet holds: by its name, or the `table` asked for, or by its headers (a CSV, or
    the one sheet of a file whose sheet name is not a registry's — LibreOffice names it after the file)."""
    if table:
        if alone or name is None or _by_sheet(name) is REGISTRIES.get(table):
            return _registry(table)
        return None  # another registry's sheet: not asked for
    if name is not None and _by_sheet(name) is not None:
        return _by_sheet(name)
    found = _by_headers(headers)
    if found is not None and (name is None or alone):
        return found
    if name is not None:
        sheets = ", ".join(r.sheet for r in REGISTRIES.values())
        raise InvalidInput([f"Nieznany arkusz „{name}” — oczekiwane arkusze: {sheets} (albo wskaż tabelę)."])
    raise InvalidInput(
        [
            "Nagłówki pliku CSV nie pasują do żadnego rejestru — wskaż tabelę albo użyj "
            "nagłówków z eksportu XLSX."
        ]
    )


def _by_sheet(name: str) -> Registry | None:
    found = BY_SHEET.get(name.lower()) or BY_SHEET.get(_norm(name)) or _FOLDED_SHEETS.get(_norm(name))
    base = stream.continued_sheet(name) if found is None else None  # "Sprawozdania miesięczne (2)"
    return _by_sheet(base) if base else found


def _by_headers(headers: list[Any]) -> Registry | None:
    """The registry whose headers the sheet has (all its required ones, no unknown one); of several,
    the one with the fewest headers besides."""
    given = {_norm(h) for h in headers} - {""}  # Excel's trailing ";;" leaves columns without a header
    fits = [
        reg
        for reg in REGISTRIES.values()
        if {_norm(h) for h in reg.required()} <= given <= {_norm(h) for h in reg.headers().values()}
    ]
    return min(fits, key=lambda r: len(r.headers()), default=None)


def _columns(reg: Registry, sheet: str, headers: list[Any]) -> tuple[dict[int, str], list[int]]:
    """Column index → field, and the columns without a header; refuses a sheet with unknown or missing
    headers, naming them. A column without a header is ignored while it is empty (Excel's trailing
    ";;" in a CSV); a value in it is a row error, not silently dropped."""
    by_header = {_norm(h): f for f, h in reg.headers().items()}
    found, unknown, blank = {}, [], []
    for i, h in enumerate(headers):
        if _norm(h) == "":
            blank.append(i)
            continue
        if _norm(h) in by_header:
            found[i] = by_header[_norm(h)]
        else:
            unknown.append(str(h))
    missing = [h for h in reg.required() if by_header[_norm(h)] not in found.values()]
    problems = []
    if missing:
        problems.append(f"Arkusz {sheet}: brak kolumn: {', '.join(missing)}")
    if unknown:
        problems.append(f"Arkusz {sheet}: nieznane kolumny: {', '.join(unknown)}")
    if problems:
        raise InvalidInput(problems)
    return found, blank


def _show(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else str(value)


def _parse_row(
    parsed: ParsedSheet,
    n: int,
    cells: tuple,
    columns: tuple[dict[int, str], list[int]],
    errors: list[RowError],
) -> None:
    reg, heads = parsed.registry, parsed.registry.heads
    named, blank = columns
    raw = {named[i]: cells[i] for i in named if i < len(cells)}
    parsed.raw[n] = raw
    data, broken = {}, set()
    for i in blank:
        if i < len(cells) and cells[i] is not None and str(cells[i]).strip() != "":
            column = f"{get_column_letter(i + 1)} (bez nagłówka)"
            errors.append(
                RowError(parsed.sheet, n, column, _show(cells[i]), "wartość w kolumnie bez nagłówka")
            )
            broken.add(column)
    for name, cell in raw.items():
        try:
            value, hint = reg.columns[name].read(cell)
        except ValueError as exc:
            errors.append(RowError(parsed.sheet, n, heads[name], _show(cell), str(exc)))
            broken.add(heads[name])
            continue
        except ArithmeticError:  # a number no field can hold (OverflowError): a row error, not a crash
            errors.append(RowError(parsed.sheet, n, heads[name], _show(cell), "wartość poza zakresem"))
            broken.add(heads[name])
            continue
        if hint:
            parsed.hints.append(RowError(parsed.sheet, n, heads[name], _show(cell), hint))
        if value is not None:
            data[name] = value
    problems = data.pop(PROBLEMS_FIELD, [])
    try:
        record = reg.model.parse(data)
    except InvalidInput as exc:
        for line in exc.problems:
            column, _, reason = line.partition(": ")
            if column not in broken:
                value = next((raw.get(f) for f, h in heads.items() if h == column), None)
                errors.append(RowError(parsed.sheet, n, column, _show(value), reason))
        return
    if not broken:
        parsed.rows.append(ParsedRow(n, record, sorted(set(problems))))


def _duplicates(parsed: ParsedSheet, errors: list[RowError]) -> None:
    """A key (or a unique column pair) given twice in one file: every later occurrence is an error."""
    reg, heads = parsed.registry, parsed.registry.headers()
    for cols in (reg.key_fields, reg.unique):
        if not cols:
            continue
        seen: dict[tuple, int] = {}
        for row in parsed.rows:
            value = tuple(getattr(row.record, c) for c in cols)
            if None in value:
                continue
            if value in seen:
                shown = ", ".join(_show(v) for v in value)
                errors.append(
                    RowError(
                        parsed.sheet,
                        row.row,
                        heads[cols[0]],
                        shown,
                        f"powtórzony w pliku (pierwszy raz w wierszu {seen[value]})",
                    )
                )
            else:
                seen[value] = row.row


def _read_sheet(
    reg: Registry, sheet: str, rows: Iterator[tuple], errors: list[RowError], budget: int
) -> ParsedSheet:
    parsed = ParsedSheet(reg, sheet)
    header = next(rows, None)
    if header is None:
        return parsed
    columns = _columns(reg, sheet, list(header))
    parsed.fields = set(columns[0].values())
    for n, cells in enumerate(rows, start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        parsed.total += 1
        if parsed.total > budget:
            raise InvalidInput([f"Plik ma ponad {MAX_ROWS} wierszy — podziel go na mniejsze części."])
        _parse_row(parsed, n, cells, columns, errors)
    _duplicates(parsed, errors)
    return parsed


def parse_file(data: bytes, filename: str, table: str | None = None) -> ParsedImport:
    """Read an XLSX (detected by content) or a CSV (; or ,, UTF-8 or CP1250) into validated rows.

    Refuses the file as a whole (InvalidInput) when it is empty, too big, not a spreadsheet, a zip
    bomb, or has unknown sheets or wrong headers; row problems come back as `errors`.
    """
    if not data:
        raise InvalidInput(["Plik jest pusty."])
    if len(data) > MAX_BYTES:
        raise InvalidInput([f"Plik ma {len(data) / 2**20:.1f} MB — limit to {MAX_BYTES // 2**20} MB."])
    if table is not None:
        _registry(table)
    sources = _sources(data, filename)
    sheets: list[ParsedSheet] = []
    errors: list[RowError] = []
    found: Stamp | None = None
    for name, rows in sources:
        if name is not None and _norm(name) in (_norm(GUIDE), _norm(export.LISTS)):
            found = _read_stamp(rows) if _norm(name) == _norm(GUIDE) else found
            continue
        first = next(rows, None)
        if first is None:
            continue
        alone = (
            len([n for n, _ in sources if n is None or _norm(n) not in (_norm(GUIDE), _norm(export.LISTS))])
            == 1
        )
        reg = _pick_registry(name, list(first), table, alone=alone)
        if reg is None:
            continue
        budget = MAX_ROWS - sum(s.total for s in sheets)
        sheets.append(_read_sheet(reg, name or reg.sheet, _chain(first, rows), errors, budget))
    if not any(s.total for s in sheets):
        raise InvalidInput(["Plik nie zawiera żadnych wierszy danych."])
    order = list(REGISTRIES)
    sheets.sort(key=lambda s: order.index(s.registry.table))
    return ParsedImport(filename, sheets, sorted(errors, key=lambda e: (e.sheet, e.row)), stamp=found)


def _read_stamp(rows: Iterator[tuple]) -> Stamp | None:
    """The export's stamp, wherever in the Instrukcja sheet it was left (the first 200 rows)."""
    for n, row in enumerate(rows):
        if n > 200:
            break
        for cell in row:
            if (found := Stamp.read(cell)) is not None:
                return found
    return None


OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # an .xls (BIFF) file's signature
SHEET_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


def _sources(data: bytes, filename: str, unpacked: bool = False) -> list[tuple[str | None, Iterator[tuple]]]:
    """The file's sheets as (name, rows), by content: XLSX/XLSM (openpyxl), ODS and XLS (calamine),
    a .zip holding one such file or CSV, else CSV (no sheet name)."""
    if data[:4] == b"PK\x03\x04":
        archive = _check_zip(data)
        names = set(archive.NameToInfo)
        if "xl/workbook.xml" in names:
            return list(_xlsx_sheets(data, archive))
        if "content.xml" in names:
            return _calamine_sheets(data, "ODS")
        if unpacked:
            raise InvalidInput(
                [f"Plik {filename} w archiwum to kolejne archiwum — rozpakuj plik i wczytaj arkusz."]
            )
        if {"[Content_Types].xml", "mimetype"} & names:  # a Word, PowerPoint or Writer document
            raise InvalidInput([NOT_A_SHEET])
        inner, name = single_member(data, filename, "plik arkusza")
        if name.lower().endswith(".zip"):
            raise InvalidInput([f"Plik {name} w archiwum {filename} to kolejne archiwum — rozpakuj plik."])
        if not name.lower().endswith(SHEET_SUFFIXES):
            raise InvalidInput([f"Archiwum {filename} zawiera plik {name}, który nie jest arkuszem ani CSV."])
        return _sources(inner, name, unpacked=True)
    if data[:8] == OLE:
        return _calamine_sheets(data, "XLS")
    return [(None, _csv_rows(data))]


def _calamine_sheets(data: bytes, kind: str) -> list[tuple[str | None, Iterator[tuple]]]:
    """An .ods or .xls read by calamine, within the same row and cell limits as an XLSX."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            wb.get_sheet_by_name(m.name)
            for m in wb.sheets_metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
    except Exception:  # calamine raises its own kinds (CalamineError, XmlError, ZipError…) for a bad file
        raise InvalidInput(
            [
                f"Plik .{kind.lower()} jest uszkodzony albo zabezpieczony hasłem — otwórz go "
                "i zapisz jako .xlsx."
            ]
        ) from None
    cells = 0
    for ws in sheets:
        rows, columns = ws.total_height, ws.total_width
        if rows - 1 > MAX_ROWS:
            raise InvalidInput(
                [
                    f"Arkusz {ws.name}: {_n(rows)} wierszy — limit to {_n(MAX_ROWS)} wierszy danych. "
                    "Podziel plik na mniejsze części."
                ]
            )
        cells += rows * columns
    if cells > MAX_CELLS:
        raise _too_many_cells(_n(cells))
    out: list[tuple[str | None, Iterator[tuple]]] = []
    for ws in sheets:
        try:
            grid = ws.to_python(skip_empty_area=False)
        except Exception:
            raise InvalidInput(
                [f"Arkusz {ws.name}: komórki nie da się odczytać (uszkodzony arkusz)."]
            ) from None
        merged = [((a, b), (c, d)) for (a, b), (c, d) in (ws.merged_cell_ranges or [])]
        extent = _extent(grid)
        inside = [
            f"{get_column_letter(b + 1)}{a + 1}:{get_column_letter(d + 1)}{c + 1}"
            for (a, b), (c, d) in merged
            if a < extent[0] and b < extent[1]
        ]
        if inside:
            _refuse_merged(ws.name, inside)
        out.append((ws.name, iter([tuple(None if v == "" else v for v in row) for row in grid])))
    return out


def _extent(rows: list[list[Any]]) -> tuple[int, int]:
    """(rows, columns) holding a value."""
    last_row, last_col = 0, 0
    for n, row in enumerate(rows, start=1):
        filled = [i for i, v in enumerate(row, start=1) if v not in ("", None) and str(v).strip()]
        if filled:
            last_row, last_col = n, max(last_col, filled[-1])
    return last_row, last_col


def _chain(first: tuple, rest: Iterator[tuple]) -> Iterator[tuple]:
    yield first
    yield from rest
