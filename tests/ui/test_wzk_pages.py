"""The WZK, services and effects-report pages for every role offered them, on a copy of the demo."""

from __future__ import annotations

import pytest

from kooperacja.model.access import PAGE_ROLES

USERS = {"admin": "admin", "animator": "animator1", "wzk": "wzk", "zarzad": "zarzad"}
CASES = [(page, USERS[role]) for page in ("wzk", "uslugi", "raport") for role in sorted(PAGE_ROLES[page])]


@pytest.mark.parametrize(("page", "username"), CASES)
def test_page_renders_for_every_role_offered_it(page_test, page, username):
    at = page_test(page, username).run(timeout=30)
    assert not at.exception, at.exception
    assert at.title[0].value


@pytest.mark.parametrize("page", ["wzk", "uslugi"])
def test_zarzad_is_refused_the_wzk_and_services_pages(page_test, page):
    at = page_test(page, "zarzad").run(timeout=30)
    assert any("Brak uprawnień" in e.value for e in at.error)


def test_meeting_mode_steps_through_every_slide_and_back(page_test):
    at = page_test("wzk", "wzk").run(timeout=30)
    at.toggle(key="wzk_meeting_mode").set_value(True).run(timeout=30)
    seen = []
    for _ in range(10):
        seen.append(at.markdown[-1].value)
        if at.button(key="wzk_next").disabled:
            break
        at.button(key="wzk_next").click().run(timeout=30)
    assert not at.exception
    assert len(seen) == 6
    assert "Postęp wdrażania" in seen[0] and "Rekomendacje otwarte" in seen[-1]
    assert any("6 / 6" in m.value for m in at.markdown)
    at.button(key="wzk_prev").click().run(timeout=30)
    assert any("5 / 6" in m.value for m in at.markdown)


def test_meeting_mode_hides_small_case_counts_from_the_wzk(page_test):
    at = page_test("wzk", "wzk").run(timeout=30)
    at.toggle(key="wzk_meeting_mode").set_value(True).run(timeout=30)
    for _ in range(2):
        at.button(key="wzk_next").click().run(timeout=30)
    slide = at.markdown[-1].value
    assert "Sprawy" in slide and "&lt;5" in slide


def test_report_offers_pdf_and_xlsx_downloads(page_test):
    at = page_test("raport", "zarzad").run(timeout=30)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Pobierz PDF" in labels and "Pobierz XLSX" in labels


def test_report_for_one_gmina(page_test):
    at = page_test("raport", "admin").run(timeout=30)
    terc = at.selectbox(key="raport_scope").options[1]
    at.selectbox(key="raport_scope").select_index(1).run(timeout=30)
    assert not at.exception
    assert "Gmina" in at.caption[0].value, terc


def test_services_filters_and_gaps(page_test):
    at = page_test("uslugi", "animator1").run(timeout=30)
    at.selectbox(key="uslugi_kategoria").select_index(1).run(timeout=30)
    assert not at.exception
    assert any("Znaleziono" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Pobierz XLSX" in labels
