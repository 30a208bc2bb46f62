"""The "Pobierz dokument" buttons next to the records, and the admin's template section."""

from __future__ import annotations

import pytest


def labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize(
    ("page", "user", "expected"),
    [
        ("gmina", "animator1", ["Pobierz dokument: karta gminy", "Pobierz dokument zgłoszenia",
                                "Pobierz porozumienie PZK na ten dzień"]),
        ("pzk", "animator1", ["Pobierz porozumienie PZK (skład na dziś)", "Pobierz zaproszenie",
                              "Pobierz protokół"]),
        ("sprawy", "animator1", ["Pobierz kartę planu pracy", "Pobierz monitoring sprawy"]),
    ],
)  # fmt: skip
def test_each_record_page_offers_its_documents(page_test, page, user, expected):
    at = page_test(page, user).run(timeout=60)
    assert not at.exception
    shown = labels(at)
    assert all(label in shown for label in expected), shown


def test_the_admin_lists_each_document_with_its_placeholders(page_test):
    at = page_test("uzytkownicy", "admin").run(timeout=60)
    assert not at.exception
    assert "Szablony dokumentów Word" in [s.value for s in at.subheader]
    kinds = at.selectbox(key="document_kind")
    kinds.set_value("karta_gminy").run(timeout=60)
    fields = [d.value for d in at.dataframe if "Pole w szablonie" in d.value.columns]
    assert "{{ harmonogram }}" in list(fields[0]["Pole w szablonie"])
    assert "Pobierz obecny szablon" in labels(at)
