"""One way to show an error: ui.errors.show, and the catch-all around the page run in app.py."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

import pages.przeglad
import pages.sprawy
from kooperacja.model.errors import InvalidInput, NotFound
from kooperacja.ui import errors
from tests.ui.test_login import _server_navigation_mode, log_in  # noqa: F401  (the fixture is used)

ROOT = Path(__file__).resolve().parents[2]
GUARDED = """from kooperacja.ui import errors
from pages.{page} import render
with errors.guard():
    render()
"""


def _boom(*args, **kwargs):
    raise RuntimeError("KeyError: 'terc' in internal code path /srv/app")


def _missing(*args, **kwargs):
    raise NotFound("Nie ma sprawy P-3401011-999.")


def test_an_error_box_has_the_title_then_the_message_and_problems_as_a_list():
    assert errors.text(NotFound("Nie ma sprawy X.")) == "**Nie znaleziono**\n\nNie ma sprawy X."
    assert errors.text(InvalidInput(["Login: za krótki"])) == "**Niepoprawne dane**\n\nLogin: za krótki"
    assert errors.text(InvalidInput(["A: źle", "B: źle"])) == "**Niepoprawne dane**\n\n- A: źle\n- B: źle"


def test_a_not_found_the_case_page_did_not_catch_is_shown_in_polish(app_db, monkeypatch):
    monkeypatch.setattr(pages.sprawy, "case_card", _missing)  # as if the picked case were gone
    at = AppTest.from_string(GUARDED.format(page="sprawy"), default_timeout=30)
    for key, value in {"authentication_status": True, "username": "admin", "roles": ["admin"]}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["**Nie znaleziono**\n\nNie ma sprawy P-3401011-999."]


def test_app_shows_a_not_found_raised_by_a_page_in_polish(app_db, monkeypatch):
    monkeypatch.setattr(pages.przeglad, "render", _missing)
    at = log_in("admin")
    assert not at.exception
    assert [e.value for e in at.error] == ["**Nie znaleziono**\n\nNie ma sprawy P-3401011-999."]


def test_app_logs_an_unexpected_error_and_shows_a_short_polish_message(app_db, monkeypatch, caplog):
    monkeypatch.setattr(pages.przeglad, "render", _boom)
    with caplog.at_level(logging.ERROR, logger="kooperacja.ui"):
        at = log_in("admin")
    assert not at.exception
    shown = [e.value for e in at.error]
    assert shown == [f"**Błąd**\n\n{errors.UNEXPECTED}"]
    assert "RuntimeError" not in shown[0] and "KeyError" not in shown[0]
    logged = [r for r in caplog.records if r.name == "kooperacja.ui"]
    assert logged and logged[0].exc_info[0] is RuntimeError  # the traceback goes to the log


def test_streamlit_shows_no_exception_details_in_the_browser():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
