"""Import in a real browser: a CSV with one bad row is reported, the good row is saved, the audit shows it."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

from kooperacja.exchange.mapping import REGISTRIES

pytestmark = pytest.mark.e2e

GOOD = "Fundacja Testu Importu w Zawiślu"
BAD = "Koło Łowieckie bez sektora"


def _csv() -> bytes:
    """The institutions registry in the export's own headers: row 2 is fine, row 3 has no such sector."""
    heads = REGISTRIES["institution"].headers()
    rows = [
        list(heads.values()),
        ["", GOOD, "ngo", "gmina", "3401011"],
        ["", BAD, "lowiectwo", "gmina", "3401011"],
    ]
    return "\n".join(";".join(r) for r in rows).encode() + b"\n"


def _choose(page, label: str, option: str) -> None:
    page.locator("[data-testid='stMain']").get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_an_admin_imports_the_valid_rows_of_a_csv_and_the_change_history_lists_them(app_url, page):
    page.goto(app_url)
    login(page, "admin")
    page.get_by_role("link", name="Wprowadzanie danych").click()
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    _choose(page, "Formularz", "Import i eksport rejestrów")
    main.get_by_role("heading", name="Import z Excela, LibreOffice albo CSV").wait_for()

    uploader = main.locator("[data-testid='stFileUploader'] input[type=file]")
    uploader.set_input_files({"name": "instytucje.csv", "mimeType": "text/csv", "buffer": _csv()})
    main.get_by_text("Instytucje: 1 nowy, 0 zmienionych, 0 bez zmian; z błędami: 1 wiersz").wait_for()
    wait_idle(page)

    report = main.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    assert "lowiectwo" in report
    at = report.index("lowiectwo")
    assert report[at - 3 : at] == ["Instytucje", "3", "Sektor"]  # sheet, row number, column
    reason = report[at + 1]
    assert "dozwolone wartości: " in reason and "organizacje pozarządowe" in reason and " or " not in reason
    assert "poprawnych wierszy: 1 z 2" in report

    save_all = main.get_by_role("button", name="Zapisz", exact=True)
    save_valid = main.get_by_role("button", name="Zapisz tylko poprawne wiersze")
    assert save_all.is_disabled()
    assert save_valid.is_disabled()  # until the explicit checkbox is ticked
    main.get_by_text("Plik ma 1 błąd").wait_for()
    main.get_by_text("Rozumiem: zapisz tylko poprawne wiersze").click()
    wait_idle(page)
    assert save_valid.is_enabled()
    save_valid.click()
    wait_idle(page)
    success = main.locator("[data-testid='stAlertContentSuccess']")
    success.wait_for()
    assert "Instytucje: zapisano 1 nowy wiersz, zmieniono 0 wierszy" in success.inner_text()
    assert "Pominięto wiersze z błędami (1 błąd)." in success.inner_text()

    # The change history (newest first) has the good institution's insert, and no trace of the bad one.
    page.get_by_role("link", name="Historia zmian").click()
    wait_idle(page, settle=1.0)
    main.get_by_role("heading", name="Historia zmian").wait_for()
    cells = main.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    mine = [i for i, c in enumerate(cells) if GOOD in c]
    assert mine, "the imported institution is not in the change history"
    assert "Koordynator ROPS (demo)" in cells[mine[0] - 7 : mine[0]]  # the person, not the login
    assert not any(BAD in c for c in cells)
