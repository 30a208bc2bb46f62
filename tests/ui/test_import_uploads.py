"""The import section parses an upload once per content, not on every rerun while it sits in the uploader."""

from __future__ import annotations

import pytest
import streamlit as st

from kooperacja.exchange import workbook as exchange
from kooperacja.model.errors import InvalidInput
from kooperacja.ui import import_widgets
from tests.hostile.files import EVENT, GOOD_EVENT, csv_bytes


@pytest.fixture
def parses(monkeypatch):
    st.cache_resource.clear()
    calls: list[str] = []
    real = exchange.parse_file

    def counted(data: bytes, filename: str, table: str | None = None):
        calls.append(filename)
        return real(data, filename, table)

    monkeypatch.setattr(exchange, "parse_file", counted)
    yield calls
    st.cache_resource.clear()


def test_the_same_file_is_parsed_once_across_reruns(parses):
    data = csv_bytes(EVENT, [GOOD_EVENT])
    first = import_widgets.parsed_upload(data, "z.csv", None)
    for _ in range(3):  # reruns: the uploader hands the same bytes again
        assert import_widgets.parsed_upload(bytes(data), "z.csv", None) is first
    assert parses == ["z.csv"]
    import_widgets.parsed_upload(data + b"\n", "z.csv", None)  # other content: parsed again
    assert parses == ["z.csv", "z.csv"]


def test_a_refused_file_is_refused_again_without_parsing_it_again(parses):
    data = csv_bytes(["Kolor"], [["zielony"]])
    for _ in range(2):
        with pytest.raises(InvalidInput, match="Nagłówki pliku CSV nie pasują"):
            import_widgets.parsed_upload(data, "k.csv", None)
    assert parses == ["k.csv"]


def test_only_a_few_parsed_files_are_kept(parses):
    for i in range(import_widgets.PARSED_KEPT + 2):
        import_widgets.parsed_upload(csv_bytes(EVENT, [[*GOOD_EVENT[:5], f"n{i}"]]), "z.csv", None)
    import_widgets.parsed_upload(csv_bytes(EVENT, [[*GOOD_EVENT[:5], "n0"]]), "z.csv", None)
    assert len(parses) == import_widgets.PARSED_KEPT + 3  # the first one was let go
