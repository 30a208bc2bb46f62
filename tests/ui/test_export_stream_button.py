"""The registries export button of Wprowadzanie danych: prepared with a progress bar, then downloaded."""

from __future__ import annotations

import io

import openpyxl


def test_the_admin_prepares_the_export_and_gets_a_download_of_every_registry(page_test):
    at = page_test("dane", "admin")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Import i eksport rejestrów").run(timeout=30)
    assert not at.exception
    assert not at.get("download_button")  # nothing is built before it is asked for
    at.button("f_exp_make").click().run(timeout=60)
    assert not at.exception and not at.error
    data = at.session_state["exp_all_xlsx"]
    assert openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames[0] == "Instrukcja"
    assert len(at.get("download_button")) == 1
