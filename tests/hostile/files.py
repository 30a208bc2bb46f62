"""Broken and hostile files for every import: registries (XLSX/CSV), TERC, boundaries, harmonogram."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import Any

import duckdb
import openpyxl

from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import data_entry
from tests.hostile.corpus import ADMIN, ANIMATOR, FORMULAS, GMINA, HUGE, OTHER_GMINA, Case

INSTITUTION = ["Nazwa instytucji", "Sektor", "Poziom", "Siedziba (TERC)"]
EVENT = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "Uwagi"]
GOOD_EVENT = [GMINA, "5.2", "completed", "01.02.2026", "admin", "protokół"]
TERC_HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"
TEMPLATE_HEADER = "step,substep,title_pl,level,responsible,start_month,end_month,every_months"


def csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    lines = [";".join(headers)] + [";".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(sheet: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def repack(xlsx: bytes, parts: dict[str, bytes], level: int = 6) -> bytes:
    """The XLSX with some parts replaced or added (a part's bytes, by its name in the zip)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for info in source.infolist():
            if info.filename not in parts:
                zf.writestr(info.filename, source.read(info))
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def edit_sheet(xlsx: bytes, edit: Callable[[str], str], part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The XLSX with its first sheet's XML edited as text (openpyxl writes cells as `<c r="A2" ...>`)."""
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read(part).decode("utf-8")
    return repack(xlsx, {part: edit(sheet).encode("utf-8")})


def with_cached_values(xlsx: bytes, cached: dict[str, tuple[str, str]]) -> bytes:
    """Formula cells (written by openpyxl without a result) given the result Excel saves with them:
    coordinate → (cell type: "str" text, "n" number, "e" error, value)."""

    def edit(sheet: str) -> str:
        for coordinate, (kind, value) in cached.items():
            sheet, found = re.subn(
                rf'<c r="{coordinate}"[^>]*>(<f>.*?</f>)(?:<v ?/>|<v></v>)',  # <v></v>: openpyxl over lxml
                lambda m, k=kind, v=value, c=coordinate: f'<c r="{c}" t="{k}">{m.group(1)}<v>{v}</v>',
                sheet,
            )
            assert found == 1, coordinate
        return sheet

    return edit_sheet(xlsx, edit)


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(xlsx: bytes, count: int, declare: bool = True) -> bytes:
    """The XLSX with a shared-strings table of `count` distinct texts (Excel keeps every text typed in a
    cell there), its counts declared in the `<sst>` element as Excel does, or left out."""
    counts = f' count="{count}" uniqueCount="{count}"' if declare else ""
    head = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"{counts}>'
    body = b"".join(b"<si><t>tekst %d</t></si>" % i for i in range(count))
    types = zipfile.ZipFile(io.BytesIO(xlsx)).read("[Content_Types].xml").decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
    return repack(
        xlsx,
        {
            "xl/sharedStrings.xml": head.encode() + body + b"</sst>",
            "[Content_Types].xml": types.replace("</Types>", override + "</Types>").encode(),
        },
        level=1,
    )


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _registry(data: bytes | Callable[[], bytes], filename: str, actor: Actor = ADMIN):
    """Parse and apply all or nothing; row errors become one InvalidInput naming sheet, row and column."""

    def run(conn: duckdb.DuckDBPyConnection) -> None:
        parsed = exchange.parse_file(data() if callable(data) else data, filename)
        errors = parsed.errors or exchange.apply_import(conn, actor, parsed).errors
        if errors:
            raise InvalidInput([f"{e.sheet}, wiersz {e.row}, kolumna {e.column}: {e.reason}" for e in errors])

    return run


def _events(*rows: list[Any], actor: Actor = ADMIN):
    return _registry(csv_bytes(EVENT, [GOOD_EVENT, *rows]), "zdarzenia.csv", actor)


def _institutions(*rows: list[Any]):
    return _registry(
        csv_bytes(INSTITUTION, [["Klub Seniora", "pomoc_spoleczna", "gmina", GMINA], *rows]), "i.csv"
    )


def _zip_bomb() -> bytes:
    return zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(30 * 2**20)})


def _terc(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return lambda conn: data_entry.import_terc_register(conn, ADMIN, data, None)


def _geo(data: Any):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
    return lambda conn: data_entry.import_gmina_boundaries(conn, ADMIN, raw)


def _template(*rows: str, header: str = TEMPLATE_HEADER):
    text = "\n".join([header, *rows]) + "\n"
    return lambda conn: data_entry.save_template_version(conn, ADMIN, text, 1)


def _feature(props: dict, geometry: Any) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": geometry}],
    }


SQUARE = {"type": "Polygon", "coordinates": [[[20, 50], [20.1, 50], [20.1, 50.1], [20, 50]]]}
TPL_OK = "K1,1.1,Spotkanie,region,ROPS,1,2,"

FILE_CASES: list[Case] = [
    ("file-empty", _registry(b"", "puste.xlsx"), "Plik jest pusty"),
    ("file-blank-lines", _registry(b"\n\n\n", "puste.csv"), "Nagłówki pliku CSV"),
    ("file-headers-only", _registry(csv_bytes(INSTITUTION, []), "i.csv"), "nie zawiera żadnych wierszy"),
    ("file-png-as-xlsx", _registry(b"\x89PNG\r\n\x1a\n" + bytes(300), "obraz.xlsx"), "nie jest arkuszem"),
    (
        "file-pdf-as-csv",
        _registry(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "dane.csv"),
        "nie jest arkuszem",
    ),
    (
        "file-old-xls",
        _registry(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(500), "stary.xls"),
        "Plik .xls jest uszkodzony",
    ),
    (
        "file-docx-as-xlsx",
        _registry(zip_bytes({"word/document.xml": b"<w/>"}), "dok.xlsx"),
        "nie jest arkuszem",
    ),
    ("file-zip-bomb", _registry(_zip_bomb, "bomba.xlsx"), "rozpakowaniu"),
    ("file-broken-xlsx", _registry(zip_bytes({"xl/workbook.xml": b"<nie xml"}), "z.xlsx"), "uszkodzony"),
    ("file-over-20MB", _registry(lambda: b"a;b\n" * (6 * 2**20), "duzy.csv"), "limit to 20 MB"),
    (
        "file-control-chars",
        _registry(csv_bytes(INSTITUTION, [["Klub\x1b", "x", "gmina", GMINA]]), "c.csv"),
        "nie jest arkuszem",
    ),
    (
        "file-unknown-headers",
        _registry(csv_bytes(["Nazwa instytucji", "Kolor"], [["A", "zielony"]]), "k.csv"),
        "Nagłówki pliku CSV nie pasują",
    ),
    ("inst-sector", _institutions(["Bank", "bank", "gmina", GMINA]), "wiersz 3, kolumna Sektor"),
    ("inst-level", _institutions(["Klub", "pomoc_spoleczna", "kosmos", GMINA]), "wiersz 3, kolumna Poziom"),
    ("inst-seat", _institutions(["Klub", "pomoc_spoleczna", "gmina", "12345"]), "wiersz 3, kolumna Siedziba"),
    (
        "inst-name-formula",
        _institutions([FORMULAS[1], "pomoc_spoleczna", "gmina", GMINA]),
        "wiersz 3, kolumna Nazwa instytucji",
    ),
    ("inst-name-100kB", _institutions([HUGE, "pomoc_spoleczna", "gmina", GMINA]), "wiersz 3, kolumna Nazwa"),
    (
        "inst-xlsx-live-formula",
        _registry(
            xlsx_bytes(
                "Instytucje",
                INSTITUTION,
                [['=HYPERLINK("http://zly.example","Klik")', "pomoc_spoleczna", "gmina", GMINA]],
            ),
            "f.xlsx",
        ),
        "Instytucje, wiersz 2, kolumna Nazwa instytucji",
    ),
    (
        "import-event-feb30",
        _events([GMINA, "5.1", "started", "30.02.2026", "admin", None]),
        "wiersz 3, kolumna Data",
    ),
    (
        "import-event-1899",
        _events([GMINA, "5.1", "started", "01.01.1899", "admin", None]),
        "wiersz 3, kolumna Data",
    ),
    (
        "import-event-2099",
        _events([GMINA, "5.1", "started", "01.01.2099", "admin", None]),
        "wiersz 3, kolumna Data",
    ),
    (
        "import-event-unknown-terc",
        _events(["3499991", "5.1", "started", "01.02.2026", "admin", None]),
        "wiersz 3, kolumna Kod TERC gminy",
    ),
    (
        "import-event-malformed-terc",
        _events(["34-01-01", "5.1", "started", "01.02.2026", "admin", None]),
        "wiersz 3, kolumna Kod TERC gminy",
    ),
    (
        "import-event-before-pilot",
        _events([GMINA, "5.1", "started", "01.01.2024", "admin", None]),
        "wiersz 3",
    ),
    (
        "import-event-other-animator",
        _events([OTHER_GMINA, "5.1", "started", "01.02.2026", "animator1", None], actor=ANIMATOR),
        "wiersz 3",
    ),
    (
        "import-event-sql-in-substep",
        _events([GMINA, "5.1'; DROP TABLE step_event; --", "started", "01.02.2026", "admin", None]),
        "wiersz 3, kolumna Podkrok",
    ),
    ("terc-empty", _terc(b""), "TERC"),
    ("terc-garbage", _terc("to nie jest rejestr\n1;2;3"), "TERC"),
    (
        "terc-bad-code",
        _terc(f"{TERC_HEADER}\n34;01;0X;1;Zawiśle;gmina miejska;2025-01-01"),
        "Wiersz 2: kolumna GMI",
    ),
    (
        "terc-xml-entities",
        _terc(
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><teryt>&b;</teryt>'
        ),
        "TERC",
    ),
    ("terc-binary", _terc(bytes(range(256)) * 10), "TERC"),
    ("geo-empty", _geo(b""), "GeoJSON"),
    ("geo-not-json", _geo(b"<svg/>"), "GeoJSON"),
    ("geo-no-features", _geo({"type": "FeatureCollection", "features": []}), "granicy gminy"),
    ("geo-bad-terc", _geo(_feature({"JPT_KOD_JE": "ab"}, SQUARE)), "ab"),
    (
        "geo-point",
        _geo(_feature({"JPT_KOD_JE": "3401011"}, {"type": "Point", "coordinates": [20, 50]})),
        "3401011",
    ),
    ("tpl-empty", _template(), "nie zawiera żadnego kroku"),
    ("tpl-wrong-header", _template(TPL_OK, header="krok,podkrok"), "step"),
    ("tpl-month-zero", _template("K1,1.1,Spotkanie,region,ROPS,0,2,"), "Wiersz 2, Miesiąc początku"),
    ("tpl-month-99", _template("K1,1.1,Spotkanie,region,ROPS,1,99,"), "Wiersz 2, Miesiąc końca"),
    ("tpl-duplicate", _template(TPL_OK, TPL_OK), "występuje dwa razy"),
    ("tpl-wrong-step", _template("K2,1.1,Spotkanie,region,ROPS,1,2,"), "nie należy do kroku"),
    ("tpl-formula", _template("K1,1.1,=HYPERLINK(1),region,ROPS,1,2,"), "Wiersz 2, Nazwa podkroku"),
]


# --- the paths of the Excel round trip (issue 14): a table of files real users send --------------


def _workbook(sheets: dict[str, list[list[Any]]], merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merge:
            ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _edited_export(
    tables: list[str], sheet: str, edits: dict[tuple[int, str], Any], stamp_audit: int | None = None
):
    """The warehouse's own export with cells edited (and its stamp moved back to audit id `stamp_audit`,
    as if exported before the rows' last change), applied all or nothing."""

    def run(conn: duckdb.DuckDBPyConnection) -> None:
        wb = openpyxl.load_workbook(io.BytesIO(exchange.export_registries(conn, tables)))
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for (row, header), value in edits.items():
            ws.cell(row=row, column=headers.index(header) + 1, value=value)
        if stamp_audit is not None:
            for row in wb["Instrukcja"].iter_rows():
                for cell in row:
                    if str(cell.value or "").startswith("kooperacja-eksport/"):
                        parts = cell.value.split("/")
                        cell.value = "/".join([parts[0], parts[1], str(stamp_audit), parts[3]])
        out = io.BytesIO()
        wb.save(out)
        _registry(out.getvalue(), "rejestry.xlsx")(conn)

    return run


def _template_grid(level: str):
    from kooperacja.exchange import template

    def run(conn: duckdb.DuckDBPyConnection) -> None:
        grid = template.template_grid(conn, 1, 1)
        grid.iloc[0, list(grid.columns).index("Poziom")] = level
        template.save_template_grid(conn, ADMIN, 1, grid)

    return run


_JUNK = bytes(range(256)) * (10 * 2**20 // 256)
EVENT_FORMULA = xlsx_bytes("Zdarzenia kroków", EVENT, [[GMINA, "5.2", "=A1", "01.02.2026", "admin", None]])

FILE_CASES += [
    (
        "x-unknown-sheet-beside-a-registry",
        _registry(
            _workbook(
                {"Instytucje": [INSTITUTION, ["A", "ngo", "gmina", GMINA]], "Arkusz1": [["Coś"], ["x"]]}
            ),
            "dwa.xlsx",
        ),
        "Nieznany arkusz „Arkusz1”",
    ),
    (
        "x-wrong-label",
        _institutions(["B", "kosmiczny", "gmina", GMINA]),
        "Instytucje, wiersz 3, kolumna Sektor",
    ),
    ("x-wrong-level-label", _institutions(["B", "ngo", "ogólnopolski", GMINA]), "kolumna Poziom: nieznana"),
    (
        "x-stale-row",
        _edited_export(["app_user"], "Użytkownicy", {(3, "Imię i nazwisko / opis konta"): "Anna Nowak"}, 0),
        "Użytkownicy, wiersz 3, kolumna Login: wiersz zmienił(a) w hurtowni demo",
    ),
    (
        "x-duplicate-key",
        _registry(
            csv_bytes(
                ["ID instytucji", *INSTITUTION],
                [[9001, "A", "ngo", "gmina", GMINA], [9001, "B", "ngo", "gmina", GMINA]],
            ),
            "i.csv",
        ),
        "wiersz 3, kolumna ID instytucji: powtórzony w pliku",
    ),
    (
        "x-formula-in-a-code-column",
        _registry(EVENT_FORMULA, "z.xlsx"),
        "kolumna Zdarzenie: formuła bez zapisanej",
    ),
    (
        "x-merged-cells",
        _registry(
            _workbook({"Instytucje": [INSTITUTION, ["A", "ngo", "gmina", GMINA], ["", "", "", ""]]}, "A2:A3"),
            "m.xlsx",
        ),
        "scalone komórki A2:A3",
    ),
    ("x-10-mb-of-junk", _registry(_JUNK, "dane.xlsx"), "nie jest arkuszem"),
    ("x-10-mb-of-junk-as-csv", _registry(_JUNK.replace(b"\x00", b"a"), "dane.csv"), "UTF-8 ani Windows-1250"),
    (
        "x-undecodable-csv",
        _registry(b"Nazwa instytucji;Sektor\n" + b"Klub \x81\x98;ngo\n", "i.csv"),
        "UTF-8 ani Windows-1250",
    ),
    (
        "x-zip-of-two-files",
        _registry(
            zip_bytes({"a.csv": csv_bytes(INSTITUTION, []), "b.csv": csv_bytes(INSTITUTION, [])}), "a.zip"
        ),
        "rozpakuj plik",
    ),
    ("x-zip-of-a-zip", _registry(zip_bytes({"w.zip": zip_bytes({"a.csv": b"a"})}), "w.zip"), "rozpakuj plik"),
    (
        "x-broken-ods",
        _registry(zip_bytes({"mimetype": b"x", "content.xml": b"<nie xml"}), "a.ods"),
        "Plik .ods jest uszkodzony",
    ),
    (
        "x-broken-xls",
        _registry(bytes.fromhex("d0cf11e0a1b11ae1") + _JUNK[:4096], "a.xls"),
        "Plik .xls jest uszkodzony",
    ),
    (
        "x-template-version-edited",
        _edited_export(["template_step"], "Kroki szablonów", {(2, "Nazwa podkroku"): "Inna nazwa"}),
        "Kroki szablonów, wiersz 2, kolumna Nazwa podkroku: zapisanej wersji szablonu nie zmienia się",
    ),
    ("x-template-grid-bad-level", _template_grid("kosmos"), "Wiersz 1, Poziom: nieznana wartość „kosmos”"),
    (
        "x-import-takes-admin-role-away",
        _edited_export(["app_user"], "Użytkownicy", {(2, "Rola"): "animator"}),
        "kolumna Rola: import nie może odebrać roli administratora",
    ),
    (
        "x-secret-setting",
        _registry(_workbook({"Ustawienia": [["Ustawienie", "Wartość"], ["cookie_key", "abc"]]}), "u.xlsx"),
        "Ustawienia, wiersz 2, kolumna Ustawienie: nieznana wartość „cookie_key”",
    ),
]
