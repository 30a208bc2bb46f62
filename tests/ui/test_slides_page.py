"""The meeting mode offers its screens as a .pptx, built only when the button is clicked."""

from __future__ import annotations

import io
import re

import streamlit as st
from pptx import Presentation


def test_the_meeting_mode_offers_the_presentation_and_it_is_a_valid_pptx(page_test, monkeypatch):
    offered = {}
    original = st.download_button

    def spy(label, data, *args, **kwargs):  # AppTest has no browser to click: keep what would be sent
        offered[label] = (data, kwargs)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = page_test("wzk", "wzk").run(timeout=30)
    assert "Pobierz prezentację (PPTX)" not in offered  # only in the meeting mode
    at.toggle(key="wzk_meeting_mode").set_value(True).run(timeout=30)
    assert not at.exception
    data, kwargs = offered["Pobierz prezentację (PPTX)"]
    assert callable(data)  # deferred: nothing is built on a page run
    assert kwargs["file_name"] == "wzk_posiedzenie_2026-11-24.pptx"
    counter = next(m.value for m in at.markdown if "wzk-counter" in m.value)  # "1 / 5"
    total = int(re.search(r"1 / (\d+)", counter).group(1))
    screen = next(m.value for m in at.markdown if "wzk-slide" in m.value)
    prs = Presentation(io.BytesIO(data()))
    assert len(prs.slides) == 1 + total  # the title slide, then each screen
    assert f"<h1>{prs.slides[1].shapes.title.text}</h1>" in screen
