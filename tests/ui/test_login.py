"""The login gate through app.py: the form, refusals, the pages each role is offered, logout."""

from __future__ import annotations

import shutil
from pathlib import Path

import bcrypt
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from kooperacja import warehouse
from kooperacja.accounts import login_throttle, users
from kooperacja.model import access
from kooperacja.model.errors import AccessDenied
from kooperacja.ui import auth, nav

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DEMO_TODAY = "2026-11-24"
ROLE_OF = {"admin": "admin", "animator1": "animator", "wzk": "wzk", "zarzad": "zarzad"}


@pytest.fixture
def app_db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo warehouse the app runs on; Streamlit's caches start empty."""
    db = tmp_path / "app.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("KOOPERACJA_DB", str(db))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def _server_navigation_mode(monkeypatch):
    """Run as a live server does after its first st.navigation call.

    AppTest re-enables the legacy `pages/` mode on every run, which runs pages/<url>.py first; its
    switch back to app.py reruns without the clicks of that run. A server leaves legacy mode once
    app.py calls st.navigation (the e2e tests cover the moment before that).
    """
    init = PagesManager.__init__

    def init_without_legacy_pages(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_without_legacy_pages)


def log_in(username: str, password: str = "demo") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="zaloguj").click().run()


def offered_titles(at: AppTest) -> list[str]:
    # What st.navigation registered on the last run (AppTest keeps it to resolve switch_page), less
    # the hidden pages that open the role's first page instead (the root URL, other roles' URLs).
    menu = set(access.pages_for(at.session_state["roles"][0])) if at.session_state["roles"] else set()
    registered = at._registered_pages.values()
    shown = [i["page_name"] for i in registered if not menu or i["url_pathname"] in {"", *menu}]
    return list(dict.fromkeys(shown))  # the first page answers at "/" and at its own URL


def texts(at: AppTest) -> str:
    return " ".join(
        str(e.value)
        for kind in ("markdown", "info", "error", "warning", "title", "caption")
        for e in at.get(kind)
    )


def test_login_page_shows_the_form_and_the_demo_accounts(app_db):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.text_input(key="login_username").label == "Login"
    assert at.text_input(key="login_password").label == "Hasło"
    assert at.button(key="zaloguj").label == "Zaloguj się"
    hint = at.info[0].value
    for login in ("admin", "animator1", "animator2", "wzk", "zarzad"):
        assert f"`{login}`" in hint
    assert "`demo`" in hint
    assert offered_titles(at) and set(offered_titles(at)) == {"Logowanie"}


def test_a_real_installation_does_not_show_the_demo_accounts(app_db):
    conn = warehouse.connect(app_db)
    with warehouse.transaction(conn) as cur:
        warehouse.set_setting(cur, "demo", "false")
    conn.close()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.info and "animator1" not in texts(at)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("animator1", "zle-haslo"),
        ("nikt", "demo"),
        ("admin", ""),
        ("Zły Login!", "demo"),
    ],
)
def test_a_wrong_login_is_refused_in_polish(app_db, username, password):
    at = log_in(username, password)
    assert not at.exception
    assert [e.value for e in at.error] == ["Nieprawidłowy login lub hasło."]
    assert not at.session_state["authentication_status"]
    assert at.button(key="zaloguj")


@pytest.mark.parametrize("username", sorted(ROLE_OF))
def test_each_role_is_offered_exactly_its_pages(app_db, username):
    at = log_in(username)
    assert at.session_state["authentication_status"] is True
    allowed = access.pages_for(ROLE_OF[username])
    assert offered_titles(at) == [nav.PAGES[name][0] for name in allowed]
    forbidden = {title for name, (title, _icon) in nav.PAGES.items() if name not in allowed}
    assert not forbidden & set(offered_titles(at))
    assert any(b.label == "Wyloguj" for b in at.sidebar.button)
    assert "Zaloguj się" not in [b.label for b in at.button]


@pytest.mark.parametrize("username", sorted(ROLE_OF))
def test_each_role_lands_on_the_overview_without_an_error(app_db, username):
    at = log_in(username)
    assert not at.exception
    assert at.title[0].value == "Przegląd regionu"


def test_logout_returns_to_the_login_form_and_ends_the_session_everywhere(app_db):
    at = log_in("animator1")
    login_at = at.session_state[auth.LOGIN_AT]
    at.sidebar.button(key="wyloguj").click().run()
    assert not at.exception
    assert at.button(key="zaloguj").label == "Zaloguj się"
    assert set(offered_titles(at)) == {"Logowanie"}
    conn = warehouse.connect(app_db)
    assert not users.session_valid(conn, "animator1", login_at)  # a copied cookie no longer works
    conn.close()


def test_a_switched_off_account_is_logged_out_on_its_next_run(app_db):
    at = log_in("wzk")  # an account that cares for no pilot gmina (an animator's would be refused)
    conn = warehouse.connect(app_db)
    users.set_active(conn, access.Actor("admin", "admin"), "wzk", False)
    conn.close()
    at.run()
    assert at.button(key="zaloguj") and "Sesja wygasła" in texts(at)


def test_users_domain_refuses_a_non_admin(app_db):
    conn = warehouse.connect(app_db)
    animator = access.Actor("animator1", "animator")
    with pytest.raises(AccessDenied):
        users.set_password(conn, animator, "admin", "przejecie")
    with pytest.raises(AccessDenied):
        users.set_active(conn, animator, "admin", False)
    with pytest.raises(AccessDenied):
        users.add_user(conn, animator, "intruz", "Intruz", "admin", "haslo123")
    assert warehouse.get_setting(conn, users.SESSION_EPOCH_SETTING + "admin") is None
    conn.close()


# --- Hardening (findings 3 and 11): lengths first, parallel guesses, the user's own password ------


@pytest.fixture
def bcrypt_calls(monkeypatch):
    calls = []
    check = bcrypt.checkpw

    def counted(password, hashed):
        calls.append(len(password))
        return check(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counted)
    return calls


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("a" * 33, "demo", users.TOO_LONG_LOGIN),
        ("x" * 4_000_000, "demo", users.TOO_LONG_LOGIN),  # the 4 MB logins of the finding
        ("admin", "x" * 73, users.TOO_LONG_PASSWORD),
        ("admin", "ż" * 37, users.TOO_LONG_PASSWORD),  # 37 characters, 74 bytes
        ("admin", "x" * 4_000_000, users.TOO_LONG_PASSWORD),
    ],
)
def test_over_long_input_is_refused_before_any_work(app_db, bcrypt_calls, username, password, message):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="login_username").set_value(username)  # set_value: past any browser limit
    at.text_input(key="login_password").set_value(password)
    at.button(key="zaloguj").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert not at.session_state["authentication_status"]
    assert bcrypt_calls == []  # no password check spent
    assert len(login_throttle.LOGIN_THROTTLE) == 0  # and nothing of it kept


def test_a_login_of_exactly_the_limits_is_checked_as_usual(app_db, bcrypt_calls):
    at = log_in("a" * 32, "x" * 72)
    assert [e.value for e in at.error] == [auth.WRONG_LOGIN]
    assert bcrypt_calls == [72]  # the unknown login pays one check like a known one


def test_an_attempt_the_throttle_turns_away_is_not_checked(app_db, bcrypt_calls, monkeypatch):
    monkeypatch.setattr(login_throttle.LOGIN_THROTTLE, "reserve", lambda *keys: None)
    at = log_in("admin", "demo")
    assert [e.value for e in at.error] == [auth.TOO_MANY]
    assert not at.session_state["authentication_status"] and bcrypt_calls == []


def change_own_password(at: AppTest, current: str, new: str, repeated: str | None = None) -> AppTest:
    at.sidebar.text_input(key="wlasne_obecne").input(current)
    at.sidebar.text_input(key="wlasne_nowe").input(new)
    at.sidebar.text_input(key="wlasne_powtorz").input(new if repeated is None else repeated)
    return at.sidebar.button(key="wlasne_zmien").click().run()


@pytest.mark.parametrize("username", sorted(ROLE_OF))
def test_every_role_is_offered_its_own_password_change(app_db, username):
    at = log_in(username)
    assert "Zmień hasło" in [e.label for e in at.sidebar.expander]
    assert at.sidebar.button(key="wlasne_zmien")


def test_a_user_changes_their_own_password_and_stays_logged_in(app_db):
    at = log_in("wzk")
    first_login = at.session_state[auth.LOGIN_AT]
    at = change_own_password(at, "demo", "trzy słowa wiosną")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "Hasło zmienione. Sesje na innych urządzeniach zostały zakończone."
    ]
    at.run()
    assert at.session_state["authentication_status"] is True and "Sesja wygasła" not in texts(at)
    conn = warehouse.connect(app_db)
    assert users.session_valid(conn, "wzk", at.session_state[auth.LOGIN_AT])
    assert not users.session_valid(conn, "wzk", first_login)  # the other devices are logged out
    assert warehouse.get_setting(conn, users.SESSION_EPOCH_SETTING + "wzk") is not None
    conn.close()
    assert log_in("wzk", "trzy słowa wiosną").session_state["authentication_status"] is True
    assert not log_in("wzk", "demo").session_state["authentication_status"]


@pytest.mark.parametrize(
    ("current", "new", "repeated", "message"),
    [
        ("demo", "krotkie", None, "Nowe hasło: co najmniej 12 znaków (np. kilka słów)"),
        ("demo", "trzy słowa wiosną", "trzy słowa latem", "Powtórz nowe hasło: hasła się różnią"),
        ("zle-haslo", "trzy słowa wiosną", None, users.WRONG_CURRENT_PASSWORD),
        ("demo", "ż" * 40, None, "Nowe hasło: najwyżej 72 bajty (litera z ogonkiem to 2 bajty)"),
    ],
)
def test_a_refused_password_change_says_why_in_polish(app_db, current, new, repeated, message):
    at = change_own_password(log_in("animator1"), current, new, repeated)
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert at.session_state["authentication_status"] is True
    assert log_in("animator1", "demo").session_state["authentication_status"] is True  # unchanged


def test_wrong_current_passwords_are_throttled_like_failed_logins(app_db):
    at = change_own_password(log_in("animator2"), "zgaduje-1", "trzy słowa wiosną")
    assert [e.value for e in at.error] == [users.WRONG_CURRENT_PASSWORD]
    assert login_throttle.LOGIN_THROTTLE.delay("login:animator2") > 0
