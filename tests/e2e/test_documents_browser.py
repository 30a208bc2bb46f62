"""A Word document downloaded in a real browser: made on the click, in Streamlit's download thread."""

from __future__ import annotations

import io

import pytest
from docx import Document
from streamlit_page import login, wait_idle

pytestmark = pytest.mark.e2e


def test_the_gmina_card_downloads_as_a_word_document_of_that_gmina(app_url, page):
    page.goto(app_url)
    login(page, "animator1")
    page.goto(f"{app_url}/gmina")
    wait_idle(page)
    heading = page.locator("[data-testid='stMain'] strong").first.inner_text()  # the gmina's name
    with page.expect_download() as caught:
        page.get_by_role("button", name="Pobierz dokument: karta gminy").click()
    download = caught.value
    assert download.suggested_filename.startswith("karta_gminy_") and download.suggested_filename.endswith(
        "_2026-11-24.docx"
    )
    doc = Document(io.BytesIO(download.path().read_bytes()))
    assert doc.paragraphs[0].text == f"Karta gminy {heading}"
    assert any(s.header.paragraphs[0].text.endswith("24.11.2026") for s in doc.sections)
