"""The login gate: streamlit-authenticator over the warehouse's users, cookie re-login and logout."""

from __future__ import annotations

import secrets
import time

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from kooperacja.accounts import users
from kooperacja.accounts.login_throttle import LOGIN_THROTTLE as THROTTLE
from kooperacja.demo import DEMO_PASSWORD, DEMO_USERS
from kooperacja.model.errors import KooperacjaError
from kooperacja.model.vocab import ROLES
from kooperacja.ui import nav
from kooperacja.ui.session import current_actor, get_conn
from kooperacja.ui.text import plain
from kooperacja.warehouse import get_setting

COOKIE_NAME = "kooperacja_auth"
EXPIRY_DAYS = 1.0
LOGIN_AT = "kooperacja_login_at"  # session key: when this session's login was made (Unix time)
WRONG_LOGIN = "Nieprawidłowy login lub hasło."
TOO_MANY = "Zbyt wiele prób logowania naraz. Spróbuj ponownie za kilkanaście sekund."
PASSWORD_CHANGED = "Hasło zmienione. Sesje na innych urządzeniach zostały zakończone."
_CHANGED_AT = "kooperacja_password_changed_at"  # session key: when this session changed its password
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
        if not _user_box(state["name"], role, authenticator):
            return role
        users.revoke_sessions(conn, state["username"])
        authenticator.logout(location="unrendered")
        state.pop(LOGIN_AT, None)
        return _login_form(authenticator, creds, demo=False)  # the button's run: nothing was submitted
    role = _login_form(authenticator, creds, demo=get_setting(conn, "demo") == "true")
    if role is not None:
        _user_box(state["name"], role, authenticator)
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


def _user_box(name: str, role: str, authenticator: stauth.Authenticate) -> bool:
    """Who is logged in and their own password change, in the sidebar; True when they pressed "Wyloguj"."""
    with st.sidebar:
        st.markdown(f"**{plain(name)}**  \n{plain(ROLES.get(role, role))}")
        if st.button("Wyloguj", key="wyloguj", icon=":material/logout:"):
            return True
        _own_password_form(authenticator)
        return False


def _own_password_form(authenticator: stauth.Authenticate) -> None:
    """ "Zmień hasło" for the logged-in user: the current password, the new one twice.

    Wrong current passwords are throttled like failed logins. After the change this session goes
    on (with a fresh cookie); every other session of the user ends.
    """
    with st.expander("Zmień hasło", icon=":material/key:"):
        with st.form("wlasne_haslo", clear_on_submit=True):
            current = st.text_input(
                "Obecne hasło", type="password", key="wlasne_obecne", autocomplete="current-password"
            )
            new = st.text_input(
                "Nowe hasło",
                type="password",
                key="wlasne_nowe",
                autocomplete="new-password",
                help=f"Co najmniej {users.MIN_PASSWORD} znaków, np. kilka słów.",
            )
            repeated = st.text_input(
                "Powtórz nowe hasło", type="password", key="wlasne_powtorz", autocomplete="new-password"
            )
            submitted = st.form_submit_button("Zmień hasło", key="wlasne_zmien")
        if not submitted:
            # The new cookie's component reruns the script once: the message stays a few seconds.
            changed_at = st.session_state.get(_CHANGED_AT)
            if changed_at is not None and time.monotonic() - changed_at < 10:
                st.success(PASSWORD_CHANGED)
            return
        try:
            actor = current_actor()
        except KooperacjaError as exc:
            st.error(exc.message)
            return
        keys = throttle_keys(actor.username)
        wait = THROTTLE.reserve(*keys)
        if wait is None:
            st.error(TOO_MANY)
            return
        time.sleep(wait)
        try:
            conn = get_conn()
            revoked_at = users.change_own_password(
                conn, actor.username, current or "", new or "", repeated or ""
            )
        except KooperacjaError as exc:
            if exc.message == users.WRONG_CURRENT_PASSWORD:
                THROTTLE.failed(*keys)
            else:
                THROTTLE.cancel(*keys)  # refused before any password check
            st.error(exc.message)
            return
        except BaseException:
            THROTTLE.cancel(*keys)
            raise
        THROTTLE.succeeded(*keys)
        # This session's login is now later than the change; the new cookie too (no st.rerun after).
        st.session_state[LOGIN_AT] = max(time.time(), revoked_at + 1e-3)
        authenticator.cookie_controller.set_cookie()
        st.session_state[_CHANGED_AT] = time.monotonic()
        st.success(PASSWORD_CHANGED)


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
                # No max_chars: Streamlit would cut the value silently; the lengths are refused below.
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
    if not _check_password(authenticator, creds, username or "", password or "", message):
        return None
    slot.empty()
    # Set in this run, never followed by st.rerun: a rerun would drop the cookie component unsent.
    authenticator.cookie_controller.set_cookie()
    st.session_state[LOGIN_AT] = time.time()
    st.session_state[nav.FRESH_LOGIN] = True  # this run draws the page itself: no switch, no rerun
    return creds["usernames"][st.session_state["username"]]["roles"][0]


def _check_password(
    authenticator: stauth.Authenticate, creds: dict, username: str, password: str, message
) -> bool:
    """The library's bcrypt check, plus what it leaves open: over-long input (refused before any
    work), unknown logins (one bcrypt check all the same), and guessing (the throttle: a growing wait
    per login and per client, shared by parallel sessions, and a global one under spraying).
    Shows the refusal in `message`."""
    problem = users.login_problem(username, password)  # lengths first: nothing else is done with them
    if problem is not None:
        message.error(problem)
        st.session_state["authentication_status"] = False
        return False
    login = username.strip().lower()
    if not users.is_valid_username(login):  # no account can have it: no check to spend
        message.error(WRONG_LOGIN)
        st.session_state["authentication_status"] = False
        return False
    keys = throttle_keys(login)
    wait = THROTTLE.reserve(*keys)  # parallel attempts on one login queue up for one slot each
    if wait is None:
        message.error(TOO_MANY)
        st.session_state["authentication_status"] = False
        return False
    time.sleep(wait)
    ok = False
    try:
        if login not in creds["usernames"]:
            users.waste_check(password)
            st.session_state["authentication_status"] = False
        else:
            ok = bool(authenticator.authentication_controller.login(login, password))
    finally:
        if ok:
            THROTTLE.succeeded(*keys)
        else:
            THROTTLE.failed(*keys)
    if not ok:
        message.error(WRONG_LOGIN)
    return ok


def throttle_keys(login: str) -> tuple[str, ...]:
    """The throttle's keys for an attempt on `login`: the account, and the client when its address is
    known (else this browser session, e.g. on localhost)."""
    ip = st.context.ip_address
    if ip:
        return (f"login:{login}", f"client:{ip}")
    return (f"login:{login}", f"session:{st.session_state.setdefault(_SESSION_TAG, secrets.token_hex(8))}")


def _demo_hint(creds: dict) -> None:
    """The demo's own accounts (those still active), never accounts an admin added later."""
    demo = [u for u, _, _ in DEMO_USERS if u in creds["usernames"]]
    lines = [f"- `{u}` — {ROLES.get(r := creds['usernames'][u]['roles'][0], r)}" for u in demo]
    st.info(
        "**Instalacja demonstracyjna.** Konta:\n\n"
        + "\n".join(lines)
        + f"\n\nHasło dla wszystkich kont: `{DEMO_PASSWORD}`",
        icon=":material/info:",
    )
