"""The whole programme through the app's upload, in a browser: the demo's export loaded into a new
installation (preview, then "Zapisz") reproduces every table; one edited cell is one change."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys

import openpyxl
import pytest
from conftest import DEMO_TODAY, ROOT, _free_port, _wait_healthy
from streamlit_page import login, wait_idle

from kooperacja import warehouse
from kooperacja.cli import main
from kooperacja.exchange import workbook as exchange

pytestmark = pytest.mark.e2e


@pytest.fixture
def fresh_server(tmp_path):
    """A server on a new installation made by `init`; yields (url, db, admin password)."""
    db = tmp_path / "nowa.duckdb"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["init", "--db", str(db)]) == 0
    password = re.search(r"Hasło: (\S+)", out.getvalue()).group(1)
    port = _free_port()
    env = {**os.environ, "KOOPERACJA_DB": str(db), "KOOPERACJA_TODAY": DEMO_TODAY}
    log = tmp_path / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
           f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
           "--server.fileWatcherType=none"]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url, db, password, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)


def _open_import(page, main) -> None:
    page.get_by_role("link", name="Wprowadzanie danych").click()
    wait_idle(page)
    if not main.get_by_role("heading", name="Import z Excela, LibreOffice albo CSV").count():
        main.get_by_label("Formularz").click()
        page.get_by_role("option", name="Import i eksport rejestrów", exact=True).click()
        wait_idle(page)
    main.get_by_role("heading", name="Import z Excela, LibreOffice albo CSV").wait_for()


def _upload(page, main, name: str, data: bytes) -> None:
    uploader = main.locator("[data-testid='stFileUploader'] input[type=file]")
    uploader.set_input_files({"name": name, "mimeType": "application/octet-stream", "buffer": data})


def test_the_demo_export_uploaded_into_a_new_installation_reproduces_it_and_an_edit_is_one_change(
    fresh_server, page, demo_db
):
    url, db, password, proc = fresh_server
    source = warehouse.connect(demo_db, read_only=True)
    try:
        export = exchange.export_registries(source)
        before = {t: source.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in warehouse.TABLES}
    finally:
        source.close()
    page.goto(url)
    login(page, "admin", password)
    main = page.locator("[data-testid='stMain']")
    _open_import(page, main)
    _upload(page, main, "program.xlsx", export)
    main.get_by_text("Instytucje: 329 nowych, 0 zmienionych, 0 bez zmian").wait_for(timeout=120_000)
    wait_idle(page)
    save = main.get_by_role("button", name="Zapisz", exact=True)
    assert save.is_enabled()
    save.click()
    success = main.locator("[data-testid='stAlertContentSuccess']")
    success.wait_for(timeout=120_000)
    assert "Instytucje: zapisano 329 nowych wierszy, zmieniono 0 wierszy" in success.inner_text()
    wait_idle(page)

    # one cell edited in the export: the preview lists exactly that change, "Zapisz" writes it
    wb = openpyxl.load_workbook(io.BytesIO(export))
    ws = wb["Instytucje"]
    old = ws.cell(2, 2).value
    ws.cell(2, 2, value="Nazwa poprawiona w Excelu")
    edited = io.BytesIO()
    wb.save(edited)
    _open_import(page, main)  # a fresh run: the uploader starts empty after a save
    _upload(page, main, "program_poprawiony.xlsx", edited.getvalue())
    main.get_by_text("Instytucje: 0 nowych, 1 zmieniony, 328 bez zmian").wait_for(timeout=120_000)
    wait_idle(page)
    cells = main.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    assert old in cells and "Nazwa poprawiona w Excelu" in cells
    main.get_by_role("button", name="Zapisz", exact=True).click()
    success.wait_for(timeout=60_000)
    assert "Instytucje: zapisano 0 nowych wierszy, zmieniono 1 wiersz" in success.inner_text()

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=15)
    conn = warehouse.connect(db, read_only=True)
    try:
        after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in warehouse.TABLES}
        name = conn.execute("SELECT name FROM institution ORDER BY institution_id LIMIT 1").fetchall()[0][0]
    finally:
        conn.close()
    differ = {t for t in before if before[t] != after[t]}
    assert differ == {"audit_log", "settings"}  # settings: the demo's two markers never travel
    assert before["settings"] - after["settings"] == 2 and name == "Nazwa poprawiona w Excelu"
