"""The login gate: streamlit-authenticator over the warehouse's users, cookie re-login and logout."""

from __future__ import annotations

import secrets
import time

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from kooperacja.accounts import users
from kooperacja.accounts.login_throttle import LOGIN_THROTTLE as THROTTLE
from kooperacja.demo import DEMO_PASSWORD
from kooperacja.model.vocab import ROLES
from kooperacja.ui.session import get_conn
from kooperacja.warehouse import get_setting

COOKIE_NAME = "kooperacja_auth"
EXPIRY_DAYS = 1.0
LOGIN_AT = "kooperacja_login_at"  # session key: when this session's login was made (Unix time)
WRONG_LOGIN = "Nieprawidłowy login lub hasło."
_SESSION_TAG = "kooperacja_login_tag"  # session key: a random name for this session in THROTTLE


def gate() -> str | None:
    """Run first on every script run: the logged-in user's role, or None with the login form shown.

    A logged-in user gets their name, role and the logout button in the sidebar.
    """
    conn = get_conn()
    creds = users.credentials(conn)
    key = users.cookie_key(conn)
    # A dict, not a YAML path (the library would rewrite the file on every login); no sleep per run.
    authenticator = stauth.Authenticate(
        creds, COOKIE_NAME, key, EXPIRY_DAYS, auto_hash=False, login_sleep_time=0
    )
    state = st.session_state
    if not state.get("authentication_status"):
        _cookie_login(authenticator, creds, key)
    elif state.get("username") not in creds["usernames"] or not users.session_valid(
        conn, state["username"], state.get(LOGIN_AT, 0.0)
    ):
        authenticator.logout(location="unrendered")  # account switched off or logged out elsewhere
        st.warning("Sesja wygasła. Zaloguj się ponownie.")
    if state.get("authentication_status"):
        role = creds["usernames"][state["username"]]["roles"][0]
        if not _user_box(state["name"], role):
            return role
        users.revoke_sessions(conn, state["username"])
        authenticator.logout(location="unrendered")
        state.pop(LOGIN_AT, None)
        return _login_form(authenticator, creds, demo=False)  # the button's run: nothing was submitted
    role = _login_form(authenticator, creds, demo=get_setting(conn, "demo") == "true")
    if role is not None:
        _user_box(state["name"], role)
    return role


def _cookie_login(authenticator: stauth.Authenticate, creds: dict, key: str) -> None:
    """Log in from the browser's cookie unless its user is gone or has logged out since it was issued."""
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
        username, issued_at = claims["username"], claims["exp_date"] - EXPIRY_DAYS * 86400
    except (jwt.PyJWTError, KeyError, TypeError):
        return  # a foreign or damaged cookie: the form it is
    if username not in creds["usernames"] or not users.session_valid(get_conn(), username, issued_at):
        st.session_state["logout"] = True  # the library then ignores the cookie for this session
        return
    authenticator.login(location="unrendered")
    if st.session_state.get("authentication_status"):
        st.session_state[LOGIN_AT] = issued_at


def _user_box(name: str, role: str) -> bool:
    """Who is logged in, in the sidebar; True when they pressed "Wyloguj"."""
    with st.sidebar:
        st.markdown(f"**{name}**  \n{ROLES.get(role, role)}")
        return st.button("Wyloguj", key="wyloguj", icon=":material/logout:")


def _login_form(authenticator: stauth.Authenticate, creds: dict, *, demo: bool) -> str | None:
    """The login form; returns the role when this run's submission logged the user in."""
    slot = st.empty()
    with slot.container():
        _, middle, _ = st.columns([1, 2, 1])
        with middle:
            st.title("Kooperacja")
            st.caption("Panel ROPS: model kooperacji w gminach pilotażowych")
            with st.form("logowanie"):
                st.subheader("Logowanie")
                username = st.text_input("Login", key="login_username", autocomplete="username")
                password = st.text_input(
                    "Hasło", type="password", key="login_password", autocomplete="current-password"
                )
                submitted = st.form_submit_button("Zaloguj się", key="zaloguj", type="primary")
            message = st.empty()
            if demo:
                _demo_hint(creds)
    if not submitted:
        return None
    if not _check_password(authenticator, creds, username or "", password or ""):
        message.error(WRONG_LOGIN)
        return None
    slot.empty()
    # Set in this run, never followed by st.rerun: a rerun would drop the cookie component unsent.
    authenticator.cookie_controller.set_cookie()
    st.session_state[LOGIN_AT] = time.time()
    return creds["usernames"][st.session_state["username"]]["roles"][0]


def _check_password(authenticator: stauth.Authenticate, creds: dict, username: str, password: str) -> bool:
    """The library's bcrypt check, plus what it leaves open: unknown logins, over-long passwords,
    and guessing (each failure makes the next attempt for that login or session wait longer)."""
    login = username.strip().lower()
    tag = st.session_state.setdefault(_SESSION_TAG, secrets.token_hex(8))
    keys = (f"login:{login}", f"session:{tag}")
    time.sleep(THROTTLE.delay(*keys))
    if login not in creds["usernames"] or len(password.encode("utf-8")) > users.MAX_PASSWORD_BYTES:
        users.waste_check(password)
        st.session_state["authentication_status"] = False
        ok = False
    else:
        ok = bool(authenticator.authentication_controller.login(login, password))
    if ok:
        THROTTLE.succeeded(*keys)
    else:
        THROTTLE.failed(*keys)
    return ok


def _demo_hint(creds: dict) -> None:
    lines = [f"- `{u}` — {ROLES.get(c['roles'][0], c['roles'][0])}" for u, c in creds["usernames"].items()]
    st.info(
        "**Instalacja demonstracyjna.** Konta:\n\n"
        + "\n".join(lines)
        + f"\n\nHasło dla wszystkich kont: `{DEMO_PASSWORD}`",
        icon=":material/info:",
    )
