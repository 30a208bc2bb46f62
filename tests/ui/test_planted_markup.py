"""Markdown and HTML planted in every text field of the warehouse is shown as text (hardening, finding 7).

A copy of the demo region gets links, images, HTML, bold, Streamlit colours and LaTeX in every text
column a user can fill; every page then runs as every role allowed to see it (with the service card,
the case card, the WZK attendance and the meeting slides open). No Markdown element may carry the
planted markup unescaped, no plotly figure its HTML, and no page may fail.
"""

from __future__ import annotations

import json
import re

import pytest

from kooperacja import warehouse
from kooperacja.model import access
from kooperacja.ui import nav
from kooperacja.ui.text import plain

EVIL = "http://evil.example"
PLANTED = (
    f"![x]({EVIL}/p.png) [Sesja wygasła — zaloguj się tutaj]({EVIL}) <img src=x onerror=alert(1)> "
    f'<a href="{EVIL}">a</a> **bold** :red[x] :material/home: $x$ www.evil.example zaloguj@evil.example'
)
# Every text column a user can fill (through a form, an import, the TERC register or the template).
TEXT_COLUMNS = {
    "app_user": ["display_name"],
    "case_file": ["main_goal", "evaluation_note", "followup_note"],
    "case_goal": ["text"],
    "case_task": ["description"],
    "gmina": ["name"],
    "powiat": ["name"],
    "wojewodztwo": ["name"],
    "institution": ["name"],
    "meeting": ["agenda", "decisions"],
    "monthly_report": ["note"],
    "plan_shift": ["reason"],
    "problem_area": ["label"],
    "recommendation": ["text", "owner"],
    "service": ["name", "access", "contact"],
    "step_event": ["evidence", "note"],
    "template": ["name"],
    "template_step": ["title", "responsible"],
    "wzk_member": ["full_name", "role"],
    "zgloszenie": ["note"],
}
USERS = {"admin": "admin", "animator1": "animator", "wzk": "wzk", "zarzad": "zarzad"}
CASES = [(p, u) for p in nav.PAGES for u in USERS if USERS[u] in access.PAGE_ROLES[p]]
TEXT_ELEMENTS = ["markdown", "caption", "info", "warning", "success", "error", "title", "header", "subheader"]
LABELLED = [
    "metric", "expander", "tab", "selectbox", "multiselect", "radio", "date_input", "text_input",
    "text_area", "checkbox", "toggle", "button", "download_button", "number_input", "file_uploader",
]  # fmt: skip
# What the planted text would become if Markdown read it: a link, an image, HTML, bold, a colour, LaTeX.
MARKDOWN_HITS = [
    "](http",
    "![",
    "<img",
    "<a ",
    "**bold**",
    ":red[",
    ":material/home",
    "$x$",
    "http://",
    "www.evil",
]
ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")  # a backslash-escaped ASCII punctuation character


def plant(path) -> None:
    """Write the planted text into every text column (and the region's name) of the warehouse at `path`."""
    conn = warehouse.connect(path)
    try:
        for table, columns in TEXT_COLUMNS.items():
            for column in columns:  # the row id keeps names unique
                conn.execute(f"UPDATE {table} SET {column} = ? || ' #' || CAST(rowid AS VARCHAR)", [PLANTED])
        conn.execute("DELETE FROM settings WHERE key = 'region_name'")
        conn.execute("INSERT INTO settings (key, value) VALUES ('region_name', ?)", [PLANTED])
    finally:
        conn.close()


@pytest.fixture
def planted(app_db):
    plant(app_db)
    return app_db


# What GFM turns into a link in the parsed text, escapes undone (escaping cannot stop these).
AUTOLINK = re.compile(r"https?://|www\.|[\w.+-]@[\w-]+\.", re.IGNORECASE)


def unescaped(markdown: str) -> list[str]:
    """The planted constructs Markdown would read in `markdown` (escaped characters do not count)."""
    text = ESCAPED.sub("", markdown)
    hits = [hit for hit in MARKDOWN_HITS if hit in text]
    return hits + AUTOLINK.findall(ESCAPED.sub(lambda m: m.group(0)[1], markdown))


def _shown(at) -> list[tuple[str, str, bool]]:
    """(kind, Markdown source, HTML allowed) of every element and label that Streamlit renders as Markdown."""
    shown = []
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            shown.append((kind, element.value, bool(getattr(element.proto, "allow_html", False))))
    for kind in LABELLED:
        for element in at.get(kind):
            shown.append(
                (kind, element.proto.label if hasattr(element.proto, "label") else element.label, False)
            )
            help_text = getattr(element.proto, "help", "")
            if help_text:
                shown.append((f"{kind} help", help_text, False))
    for element in at.get("radio"):
        shown += [("radio option", o, False) for o in element.options]
    return shown


def _check(at) -> int:
    """Assert nothing planted is read as markup; the number of elements showing the planted text."""
    assert not at.exception, at.exception
    showing = 0
    for kind, source, html in _shown(at):
        if html:  # raw HTML: Markdown is not read inside it, HTML must be escaped
            assert "<img" not in source and f'<a href="{EVIL}' not in source, (kind, source)
            assert "\n\n" not in source.split("</style>")[-1], (kind, source)
            showing += "&lt;img src=x" in source
        else:
            assert not unescaped(source), (kind, source, unescaped(source))
            showing += plain("<img src=x") in source
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        text = json.dumps(spec, ensure_ascii=False)
        assert "<img" not in text and "<a href" not in text, text[:500]
        showing += "&lt;img src=x" in text
    return showing


def _open_cards(at, page: str) -> None:
    """Open what a row selection shows: the service card, the WZK attendance; the case card shows itself."""
    if page == "uslugi":
        at.session_state["uslugi_lista"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    if page == "wzk":
        at.session_state["wzk_meetings"] = {"selection": {"rows": [0], "columns": [], "cells": []}}


@pytest.mark.parametrize(("page", "user"), CASES)
def test_planted_markup_is_shown_as_text_on_every_page_for_every_role(planted, page_test, page, user):
    at = page_test(page, user)
    _open_cards(at, page)
    at.run(timeout=60)
    showing = _check(at)
    if page in {"uslugi", "gmina", "pzk", "przeglad", "wzk"} or (page == "sprawy" and user == "admin"):
        assert showing, "the planted text should be on this page"


def test_the_service_card_shows_the_planted_texts_as_text(planted, page_test):
    at = page_test("uslugi", "animator1")
    _open_cards(at, "uslugi")
    at.run(timeout=60)
    _check(at)
    card = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    assert any(plain("[Sesja wygasła — zaloguj się tutaj]") in v for v in card)
    assert any(v.startswith("**Jak skorzystać:** " + plain(PLANTED)) for v in card)


def test_the_case_card_shows_the_planted_goals_as_text(planted, page_test):
    at = page_test("sprawy", "admin").run(timeout=60)
    _check(at)
    assert any(m.value.startswith("Cel główny: " + plain(PLANTED)) for m in at.markdown)


def test_the_meeting_slides_escape_the_planted_html(planted, page_test):
    at = page_test("wzk", "wzk")
    at.session_state["wzk_meeting_mode"] = True
    at.run(timeout=60)
    for _ in range(5):
        _check(at)
        if at.button(key="wzk_next").disabled:
            break
        at.button(key="wzk_next").click().run(timeout=60)
    assert any("&lt;img src=x" in m.value for m in at.markdown)
