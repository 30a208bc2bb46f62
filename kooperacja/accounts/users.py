"""Application users: bcrypt-hashed credentials kept in the warehouse, one role each."""

from __future__ import annotations

import re
import secrets
import time
from typing import cast

import bcrypt
import duckdb

from kooperacja.model import access
from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import AccessDenied, InvalidInput, NotFound
from kooperacja.model.vocab import ROLES
from kooperacja.warehouse import audit, fetch_dicts, get_setting, set_setting, transaction

MIN_PASSWORD = 12  # characters, for every password set (logging in with an older, shorter one works)
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; longer passwords are refused, not silently cut
MAX_USERNAME = 32
USERNAME_PATTERN = r"^[a-z0-9_.-]{2,32}$"  # the same as model.records.Username and app_user's CHECK
_USERNAME = re.compile(USERNAME_PATTERN)
TOO_LONG_LOGIN = f"Login: najwyżej {MAX_USERNAME} znaki."
TOO_LONG_PASSWORD = f"Hasło: najwyżej {MAX_PASSWORD_BYTES} bajty (litera z ogonkiem to 2 bajty)."
COOKIE_KEY_SETTING = "cookie_key"
SESSION_EPOCH_SETTING = "session_epoch:"  # + username: when the user's sessions were last ended


def _too_long(password: str) -> bool:
    # Characters first: a 4 MB string is refused without being encoded.
    return len(password) > MAX_PASSWORD_BYTES or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES


def login_problem(username: str, password: str) -> str | None:
    """Why a login attempt is refused before any work (no bcrypt, no throttle), or None.

    Only lengths: a login or password no account can have. Checked on the raw input, first.
    """
    if len(username) > MAX_USERNAME:
        return TOO_LONG_LOGIN
    if _too_long(password):
        return TOO_LONG_PASSWORD
    return None


def is_valid_username(login: str) -> bool:
    return len(login) <= MAX_USERNAME and _USERNAME.fullmatch(login) is not None


def password_problems(password: str, field: str = "Hasło") -> list[str]:
    """What makes `password` unfit to be set, in Polish, naming the form's field; [] when fit.

    The rule for every new password: at least 12 characters (a phrase of three or four words is
    easier to remember than 12 random characters), at most 72 bytes, not only spaces.
    """
    if _too_long(password):
        return [f"{field}: najwyżej {MAX_PASSWORD_BYTES} bajty (litera z ogonkiem to 2 bajty)"]
    if len(password) < MIN_PASSWORD or not password.strip():
        return [f"{field}: co najmniej {MIN_PASSWORD} znaków (np. kilka słów)"]
    return []


def random_password() -> str:
    """A random password that satisfies the rule (16 characters)."""
    return secrets.token_urlsafe(12)


def hash_password(password: str, *, field: str = "Hasło", check_strength: bool = True) -> str:
    """bcrypt (cost 12) of a password being set; `check_strength=False` only for the demo builder."""
    problems = password_problems(password, field)
    if problems and (check_strength or _too_long(password)):
        raise InvalidInput(problems)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(12)).decode("ascii")


def create_user(
    cur: duckdb.DuckDBPyConnection,
    by: str,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
    *,
    check_strength: bool = True,
) -> str:
    """Add a user; with no password a random one is made. Returns the password in clear, once.

    `check_strength=False` lets the demo builder give its accounts the documented password `demo`.
    """
    if not is_valid_username(username):
        raise InvalidInput([f"Login: {username[:40]!r} — tylko małe litery, cyfry, . _ -, 2–32 znaki"])
    if role not in ROLES:
        raise InvalidInput([f"Rola: dozwolone wartości: {', '.join(ROLES)}"])
    password = password or random_password()
    problems = password_problems(password)
    if problems and (check_strength or _too_long(password)):
        raise InvalidInput(problems)
    exists = cur.execute("SELECT count(*) FROM app_user WHERE username = ?", [username]).fetchall()[0][0]
    if exists:
        raise InvalidInput([f"Login: użytkownik {username} już istnieje"])
    password_hash = hash_password(password, check_strength=check_strength)
    try:
        cur.execute(
            "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)",
            [username, display_name, role, password_hash],
        )
    except duckdb.ConstraintException:
        raise InvalidInput([f"Login: {username!r} — tylko małe litery, cyfry, . _ -, 2–32 znaki"]) from None
    audit(
        cur,
        by,
        "insert",
        "app_user",
        username,
        None,
        {"username": username, "display_name": display_name, "role": role},
    )
    return password


def list_users(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    return fetch_dicts(
        cur, "SELECT username, display_name, role, active, created_at FROM app_user ORDER BY username"
    )


def _get_user(cur: duckdb.DuckDBPyConnection, username: str) -> dict:
    rows = fetch_dicts(
        cur, "SELECT username, display_name, role, active FROM app_user WHERE username = ?", [username]
    )
    if not rows:
        raise NotFound(f"Nie ma użytkownika {username}.")
    return rows[0]


def set_password(
    conn: duckdb.DuckDBPyConnection, actor: Actor, username: str, new_password: str | None = None
) -> str:
    """An admin sets a user's password (random when none is given); returns it in clear, once.

    The user's sessions on other devices end: their login cookies stop being accepted.
    """
    require_admin(actor)
    password = new_password or random_password()
    password_hash = hash_password(password, field="Nowe hasło")
    with transaction(conn) as cur:
        _get_user(cur, username)
        cur.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [password_hash, username])
        audit(cur, actor.username, "update", "app_user", username, None, {"password": "zmienione"})
        _revoke(cur, username)
    return password


WRONG_CURRENT_PASSWORD = "Obecne hasło: nieprawidłowe."


def change_own_password(
    conn: duckdb.DuckDBPyConnection, username: str, current: str, new: str, repeated: str
) -> float:
    """A logged-in user changes their own password: the current one, then the new one twice.

    Every role may do it, for their own account only: `username` is the session's logged-in user
    (the login gate's, like `revoke_sessions`), and the current password must be right.

    The lengths and the rule are checked before bcrypt is asked anything. Every session of the
    user ends (a copied cookie stops working); returns that moment (Unix time), so that the
    session making the change can carry on with a login made after it.
    """
    problems = []
    if _too_long(current):
        problems.append(TOO_LONG_PASSWORD.replace("Hasło", "Obecne hasło").rstrip("."))
    problems += password_problems(new, "Nowe hasło")
    if not problems and new != repeated:
        problems.append("Powtórz nowe hasło: hasła się różnią")
    if not problems and new == current:
        problems.append("Nowe hasło: musi się różnić od obecnego")
    if problems:
        raise InvalidInput(problems)
    rows = conn.execute(
        "SELECT password_hash FROM app_user WHERE username = ? AND active", [username]
    ).fetchall()
    stored = rows[0][0].encode("ascii") if rows else None
    if stored is None or not _checks(current, stored):
        raise InvalidInput([WRONG_CURRENT_PASSWORD])
    password_hash = hash_password(new, field="Nowe hasło")
    with transaction(conn) as cur:
        cur.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [password_hash, username])
        audit(cur, username, "update", "app_user", username, None, {"password": "zmienione"})
        return _revoke(cur, username)


def _checks(password: str, stored: bytes) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), stored)
    except ValueError:  # not a bcrypt hash (e.g. an account made by hand)
        return False


CARED_FOR = """
SELECT g.name FROM pilot_gmina p JOIN gmina g USING (terc) WHERE p.animator = ? ORDER BY g.name
"""
OTHER_ADMINS = "SELECT count(*) FROM app_user WHERE active AND list_contains(?, role) AND username <> ?"


def _keep_the_programme_cared_for(
    cur: duckdb.DuckDBPyConnection, user: dict, active: bool, role: str
) -> None:
    """Refuse a change that would leave no active admin, or an animator's gminy without their carer
    (naming the gminy)."""
    if user["active"] and access.administers(user["role"]) and not (active and access.administers(role)):
        others = cur.execute(OTHER_ADMINS, [[r for r in ROLES if access.administers(r)], user["username"]])
        if not others.fetchall()[0][0]:
            raise InvalidInput(
                [
                    f"Konto {user['username']}: to jedyne aktywne konto administratora — najpierw dodaj "
                    "albo włącz drugie"
                ]
            )
    if active and access.cares_for_gminy(role):
        return
    names = [r[0] for r in cur.execute(CARED_FOR, [user["username"]]).fetchall()]
    if names:
        raise InvalidInput(
            [
                f"Konto {user['username']}: opiekuje się gminami pilotażowymi {', '.join(names)} — "
                "najpierw przypisz je innemu animatorowi (Użytkownicy → Gminy animatora)"
            ]
        )


def set_role(conn: duckdb.DuckDBPyConnection, actor: Actor, username: str, role: str) -> None:
    """An admin changes a user's role (audited); refused when no active admin would be left or the
    user's pilot gminy would lose their animator."""
    require_admin(actor)
    if role not in ROLES:
        raise InvalidInput([f"Rola: dozwolone wartości: {', '.join(ROLES.values())}"])
    with transaction(conn) as cur:
        before = _get_user(cur, username)
        if before["role"] == role:
            raise InvalidInput([f"Rola: {username} ma już rolę {ROLES[role]}"])
        _keep_the_programme_cared_for(cur, before, bool(before["active"]), role)
        cur.execute("UPDATE app_user SET role = ? WHERE username = ?", [role, username])
        audit(cur, actor.username, "update", "app_user", username, {"role": before["role"]}, {"role": role})
        _revoke(cur, username)  # the next run loads the new role: no page of the old one stays open


def set_active(conn: duckdb.DuckDBPyConnection, actor: Actor, username: str, active: bool) -> None:
    """An admin switches an account on or off; nobody switches their own account off, the last active
    admin stays on, and an animator goes off only once their gminy have another animator."""
    require_admin(actor)
    if not active and username == actor.username:
        raise InvalidInput(["Nie można wyłączyć własnego konta."])
    with transaction(conn) as cur:
        before = _get_user(cur, username)
        if before["active"] == active:
            return
        _keep_the_programme_cared_for(cur, before, active, before["role"])
        cur.execute("UPDATE app_user SET active = ? WHERE username = ?", [active, username])
        audit(
            cur,
            actor.username,
            "update",
            "app_user",
            username,
            {"active": before["active"]},
            {"active": active},
        )
        if not active:
            _revoke(cur, username)


def add_user(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
) -> str:
    """An admin adds an account; returns the password in clear, to be shown once."""
    require_admin(actor)
    username = username.strip().lower()
    if not display_name.strip():
        raise InvalidInput(["Imię i nazwisko: pole wymagane"])
    with transaction(conn) as cur:
        return create_user(cur, actor.username, username, display_name.strip(), role, password)


# --- Login sessions -------------------------------------------------------------------------------
# The login cookie is a signed token the browser keeps; logging out (or a password change) records
# a time per user, and tokens issued before it are refused from then on, on every device.


ACTOR_ROLE = "SELECT role, display_name FROM app_user WHERE username = ? AND active"
PILOT_NAMES = "SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc)"
ACTOR_GMINY = "SELECT terc FROM pilot_gmina WHERE animator = ?"


def load_actor(conn: duckdb.DuckDBPyConnection, username: str) -> Actor:
    """The active user `username` as the domain layer sees them: role, and an animator's gminy."""
    cur = conn.cursor()
    rows = cur.execute(ACTOR_ROLE, [username]).fetchall()
    if not rows:
        raise AccessDenied(f"Konto {username} nie istnieje albo jest wyłączone.")
    gminy = frozenset(r[0] for r in cur.execute(ACTOR_GMINY, [username]).fetchall())
    places = dict(cur.execute(PILOT_NAMES).fetchall())  # the refusals name a gmina, not a TERC
    return Actor(username, rows[0][0], gminy, name=rows[0][1] or "", places=places)


def credentials(conn: duckdb.DuckDBPyConnection) -> dict:
    """Active users in the shape streamlit-authenticator expects (bcrypt hashes, one role each)."""
    rows = conn.execute(
        "SELECT username, display_name, role, password_hash FROM app_user WHERE active ORDER BY username"
    ).fetchall()
    return {
        "usernames": {
            u: {"name": name, "password": pw_hash, "roles": [role], "email": None}
            for u, name, role, pw_hash in rows
        }
    }


def cookie_key(conn: duckdb.DuckDBPyConnection) -> str:
    """The installation's secret for signing login cookies, made on first use and kept in settings."""
    key = get_setting(conn, COOKIE_KEY_SETTING)
    if key:
        return key
    cur = conn.cursor()
    cur.execute(
        "INSERT INTO settings VALUES (?, ?) ON CONFLICT DO NOTHING",
        [COOKIE_KEY_SETTING, secrets.token_hex(32)],
    )
    return cast(str, get_setting(cur, COOKIE_KEY_SETTING))  # another session may have won the race


def _revoke(cur: duckdb.DuckDBPyConnection, username: str) -> float:
    now = time.time()
    set_setting(cur, SESSION_EPOCH_SETTING + username, repr(now))
    return now


def revoke_sessions(conn: duckdb.DuckDBPyConnection, username: str) -> None:
    """End every session of `username`: tokens issued until now are no longer accepted."""
    with transaction(conn) as cur:
        _revoke(cur, username)


def session_valid(conn: duckdb.DuckDBPyConnection, username: str, issued_at: float) -> bool:
    """Whether a login made at `issued_at` (Unix time) still holds: no logout or password change since."""
    revoked_at = get_setting(conn, SESSION_EPOCH_SETTING + username)
    return revoked_at is None or issued_at > float(revoked_at)


_DUMMY_HASH: list[bytes] = []


def waste_check(password: str) -> None:
    """Spend one bcrypt check on an unknown login, so the answer's timing tells no valid logins."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(bcrypt.hashpw(b"kooperacja", bcrypt.gensalt(12)))
    bcrypt.checkpw(password[:MAX_PASSWORD_BYTES].encode("utf-8")[:MAX_PASSWORD_BYTES], _DUMMY_HASH[0])
