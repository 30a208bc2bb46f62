"""The built-in Word templates, written for this app in the spirit of the model's forms (not copies).

Run `python -m kooperacja.documents.build_templates` to write kooperacja/data/templates/*.docx;
the files are committed. Placeholders are Jinja as docxtpl reads them: `{{ pole }}`, and a table row
repeated per item between `{%tr for x in lista %}` and `{%tr endfor %}` rows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as Doc
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Length, Mm, Pt
from docx.table import Table

from kooperacja.documents.custom import BUILT_IN

FONT = "Arial"  # LibreOffice shows it as the metric-compatible Liberation Sans


def _doc(title: str, subtitle: str = "") -> Doc:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.name = FONT
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    header = section.header.paragraphs[0]
    header.text = "{{ rops }}\t{{ data }}"
    header.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT)
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.text = "Dokument wygenerowany z aplikacji Kooperacja — dane z hurtowni ROPS."
    footer.runs[0].font.size = Pt(7)
    heading = doc.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        p = doc.add_paragraph(subtitle)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def _fields(doc: Doc, rows: list[tuple[str, str]]) -> None:
    """A two-column table of label → placeholder."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    _widths(table, [Mm(60), Mm(110)])
    doc.add_paragraph()


def _widths(table: Table, widths: list[Length]) -> None:
    """Column widths Word and LibreOffice both follow: the grid's and every cell's."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _loop(
    doc: Doc, headers: list[str], item: str, items: str, fields: list[str], mm: list[int] | None = None
) -> None:
    """A table with a header row and one row per item of `items` (docxtpl's {%tr %} rows);
    `mm`: the columns' widths (default: equal)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    table.add_row().cells[0].text = f"{{%tr for {item} in {items} %}}"
    for cell, name in zip(table.add_row().cells, fields, strict=True):
        cell.text = f"{{{{ {item}.{name} }}}}" if name else ""  # "": a column left to fill by hand
    table.add_row().cells[0].text = "{%tr endfor %}"
    if mm:
        table.autofit = False
        _widths(table, [Mm(w) for w in mm])
    doc.add_paragraph()


def _text(doc: Doc, text: str, bold: bool = False) -> None:
    p = doc.add_paragraph()
    p.add_run(text).bold = bold


def _signatures(doc: Doc, *who: str) -> None:
    doc.add_paragraph()
    table = doc.add_table(rows=2, cols=len(who))
    for n, name in enumerate(who):
        table.rows[0].cells[n].text = "……………………………………"
        table.rows[1].cells[n].text = name


def zgloszenie() -> Doc:
    doc = _doc("Zgłoszenie kooperacji do ROPS", "zgłoszenie nr {{ numer }}")
    _fields(doc, [
        ("Gmina", "{{ gmina }} (TERC {{ terc }})"),
        ("Powiat", "{{ powiat }}"),
        ("Tryb zgłoszenia", "{{ tryb }}"),
        ("Data wpływu do ROPS", "{{ data_wplywu }}"),
        ("Data podpisania porozumienia", "{{ data_podpisania }}"),
    ])  # fmt: skip
    _text(doc, "Załączniki do zgłoszenia", bold=True)
    _loop(doc, ["Załącznik", "Dołączono"], "z", "zalaczniki", ["nazwa", "jest"])
    _text(doc, "Pierwszy kontakt ROPS z gminą", bold=True)
    _fields(doc, [
        ("Termin kontaktu", "{{ termin_kontaktu }}"),
        ("Data kontaktu", "{{ data_kontaktu }}"),
        ("Stan", "{{ stan_kontaktu }}"),
        ("Uwagi", "{{ uwagi }}"),
    ])  # fmt: skip
    _signatures(doc, "przyjął(-ęła) w ROPS", "za gminę")
    return doc


def porozumienie_pzk() -> Doc:
    doc = _doc("Porozumienie o współpracy", "w ramach Partnerskiego Zespołu Kooperacji gminy {{ gmina }}")
    _text(doc, "Skład zespołu według stanu na dzień {{ stan_na }}: {{ liczba_czlonkow }} z "
          "{{ liczba_sektorow }} (gmina {{ gmina }}, {{ powiat }}, TERC {{ terc }}).")  # fmt: skip
    _text(doc, "§ 1. Przedmiot porozumienia", bold=True)
    _text(doc, "Strony podejmują współpracę na rzecz osób, rodzin i grup wymagających wsparcia, "
          "wspólnie diagnozując potrzeby, planując zadania i oceniając ich realizację.")  # fmt: skip
    _text(doc, "§ 2. Zasady współpracy", bold=True)
    _text(doc, "Porozumienie ma charakter otwarty: każda instytucja może do niego przystąpić, "
          "przyjmując jego zapisy. Strony wyznaczają przedstawicieli do pracy w zespołach roboczych "
          "(GGK/ZZK).")  # fmt: skip
    _text(doc, "§ 3. Strony porozumienia", bold=True)
    _loop(doc, ["Lp.", "Instytucja", "Sektor", "Poziom", "Data przystąpienia", "Podpis"], "c", "czlonkowie",
          ["lp", "nazwa", "sektor", "poziom", "podpisano", ""], [10, 58, 36, 22, 22, 22])  # fmt: skip
    return doc


def _meeting_head(doc: Doc) -> None:
    _fields(doc, [
        ("Gmina", "{{ gmina }} ({{ powiat }}, TERC {{ terc }})"),
        ("Rodzaj spotkania", "{{ rodzaj }}"),
        ("Sprawa", "{{ kod_sprawy }}"),
        ("Data spotkania", "{{ data_spotkania }}"),
    ])  # fmt: skip


def zaproszenie_spotkanie() -> Doc:
    doc = _doc("Zaproszenie na spotkanie {{ zespol }}", "{{ rodzaj }}")
    _meeting_head(doc)
    _text(doc, "Zapraszamy przedstawicieli niżej wymienionych instytucji na spotkanie w dniu "
          "{{ data_spotkania }}. Zaproszenie należy przekazać najpóźniej {{ termin_powiadomienia }} "
          "({{ dni_powiadomienia }} przed spotkaniem).")  # fmt: skip
    _text(doc, "Porządek spotkania", bold=True)
    _text(doc, "{{ porzadek }}")
    _text(doc, "Zaproszone instytucje ({{ liczba_uczestnikow }})", bold=True)
    _loop(doc, ["Instytucja", "Powiadomiono"], "u", "uczestnicy", ["instytucja", "powiadomiono"])
    _signatures(doc, "koordynator zespołu")
    return doc


def protokol_spotkania() -> Doc:
    doc = _doc("Protokół spotkania {{ zespol }}", "{{ rodzaj }}")
    _meeting_head(doc)
    _fields(doc, [
        ("Obecność osoby/rodziny", "{{ obecnosc_rodziny }}"),
        ("Termin powiadomienia", "{{ termin_powiadomienia }} ({{ dni_powiadomienia }} przed spotkaniem)"),
    ])  # fmt: skip
    _text(doc, "Obecni: {{ liczba_uczestnikow }}", bold=True)
    _loop(doc, ["Instytucja", "Powiadomiono", "Powiadomienie w terminie"], "u", "uczestnicy",
          ["instytucja", "powiadomiono", "w_terminie"])  # fmt: skip
    _text(doc, "Porządek spotkania", bold=True)
    _text(doc, "{{ porzadek }}")
    _text(doc, "Ustalenia", bold=True)
    _text(doc, "{{ ustalenia }}")
    _signatures(doc, "protokołował(a)", "koordynator zespołu")
    return doc


def _case_head(doc: Doc) -> None:
    _fields(doc, [
        ("Kod sprawy", "{{ kod_sprawy }}"),
        ("Adresat", "{{ rodzaj_sprawy }}"),
        ("Gmina", "{{ gmina }} ({{ powiat }}, TERC {{ terc }})"),
        ("Data skierowania", "{{ data_skierowania }}"),
        ("Data planu pracy", "{{ data_planu }}"),
    ])  # fmt: skip


def karta_planu_pracy() -> Doc:
    doc = _doc("Karta planu pracy z osobą/rodziną", "sprawa prowadzona pod kodem, bez danych osobowych")
    _text(doc, "Część A. Sprawa i cele", bold=True)
    _case_head(doc)
    _text(doc, "Cel główny: {{ cel_glowny }}")
    _loop(doc, ["Lp.", "Cel szczegółowy"], "c", "cele", ["lp", "tresc"], [12, 158])
    _text(doc, "Część B. Zadania instytucji i osoby/rodziny", bold=True)
    _loop(doc, ["Cel", "Zadanie", "Realizuje", "Termin", "Wykonano"], "z", "zadania",
          ["cel", "opis", "instytucja", "termin", "wykonano"], [38, 48, 40, 22, 22])  # fmt: skip
    _fields(doc, [("Kontrakt / projekt socjalny", "{{ umowa }}"), ("Okres", "{{ umowa_okres }}")])
    _text(doc, "Część C. Ewaluacja", bold=True)
    _fields(doc, [
        ("Data ewaluacji", "{{ ocena_data }}"),
        ("Osiągnięcie celu głównego", "{{ ocena }}"),
        ("Uwagi", "{{ ocena_uwagi }}"),
        ("Zakończenie pracy", "{{ zakonczenie }}"),
    ])  # fmt: skip
    _signatures(doc, "koordynator", "członkowie zespołu")
    return doc


def monitoring_sprawy() -> Doc:
    doc = _doc("Monitoring pracy z osobą/rodziną", "sprawa prowadzona pod kodem, bez danych osobowych")
    _case_head(doc)
    _text(doc, "Cel główny: {{ cel_glowny }}")
    _text(doc, "Sprawozdania miesięczne według zadań ({{ liczba_sprawozdan }})", bold=True)
    _loop(doc, ["Zadanie", "Realizuje", "Miesiąc", "Postęp", "Uwagi", "Złożono"], "s", "sprawozdania",
          ["zadanie", "instytucja", "miesiac", "postep", "uwagi", "zlozono"],
          [38, 34, 24, 24, 28, 22])  # fmt: skip
    _text(doc, "Spotkania monitorujące", bold=True)
    _loop(doc, ["Data", "Ustalenia"], "m", "spotkania", ["data", "ustalenia"], [25, 145])
    _signatures(doc, "koordynator")
    return doc


def protokol_wzk() -> Doc:
    doc = _doc("Protokół posiedzenia Wojewódzkiego Zespołu Kooperacji",
               "posiedzenie z dnia {{ data_posiedzenia }}")  # fmt: skip
    _fields(doc, [("Data posiedzenia", "{{ data_posiedzenia }}"), ("Obecni", "{{ frekwencja }}")])
    _loop(doc, ["Imię i nazwisko", "Funkcja"], "o", "obecni", ["imie_nazwisko", "funkcja"])
    _text(doc, "Porządek posiedzenia", bold=True)
    _text(doc, "{{ porzadek }}")
    _text(doc, "Ustalenia", bold=True)
    _text(doc, "{{ ustalenia }}")
    _text(doc, "Rekomendacje", bold=True)
    _loop(doc, ["Rodzaj", "Treść", "Odpowiedzialny", "Status"], "r", "rekomendacje",
          ["rodzaj", "tresc", "odpowiedzialny", "status"], [30, 80, 35, 25])  # fmt: skip
    _signatures(doc, "protokołował(a)", "przewodniczący(-a) WZK")
    return doc


def karta_gminy() -> Doc:
    doc = _doc("Karta gminy {{ gmina }}", "{{ powiat }} · TERC {{ terc }} · {{ rodzaj_gminy }}")
    _fields(doc, [
        ("Wariant modelu", "{{ wariant }}"),
        ("Animator", "{{ animator }}"),
        ("Start planu / miesiąc planu", "{{ start_planu }} / {{ miesiac_planu }}"),
        ("Bieżący krok", "{{ biezacy_krok }}"),
        ("Stan / największe opóźnienie", "{{ stan }} / {{ opoznienie }}"),
        ("Kroki zrobione", "{{ kroki }}"),
        ("PZK", "{{ pzk }}"),
        ("Sprawy", "{{ sprawy }}"),
    ])  # fmt: skip
    p = doc.add_paragraph("{{ harmonogram }}")
    p.paragraph_format.space_after = Pt(2)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(doc, "Alerty: {{ liczba_alertow }}", bold=True)
    _loop(doc, ["Reguła", "Czego dotyczy", "Termin"], "a", "alerty", ["regula", "przedmiot", "termin"],
          [60, 85, 25])  # fmt: skip
    return doc


TEMPLATES: dict[str, Callable[[], Doc]] = {
    "zgloszenie": zgloszenie,
    "porozumienie_pzk": porozumienie_pzk,
    "zaproszenie_spotkanie": zaproszenie_spotkanie,
    "protokol_spotkania": protokol_spotkania,
    "karta_planu_pracy": karta_planu_pracy,
    "monitoring_sprawy": monitoring_sprawy,
    "protokol_wzk": protokol_wzk,
    "karta_gminy": karta_gminy,
}


def write_all(folder: Path = BUILT_IN) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, build in TEMPLATES.items():
        path = folder / f"{kind}.docx"
        build().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILT_IN):
        print(f"Zapisano {path}")
