"""Application users: bcrypt-hashed credentials kept in the warehouse, one role each."""

from __future__ import annotations

import secrets
import time
from typing import cast

import bcrypt
import duckdb

from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import AccessDenied, InvalidInput, NotFound
from kooperacja.model.vocab import ROLES
from kooperacja.warehouse import audit, fetch_dicts, get_setting, set_setting, transaction

MIN_PASSWORD = 4
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; longer passwords are refused, not silently cut
COOKIE_KEY_SETTING = "cookie_key"
SESSION_EPOCH_SETTING = "session_epoch:"  # + username: when the user's sessions were last ended


def hash_password(password: str) -> str:
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise InvalidInput([f"Hasło: najwyżej {MAX_PASSWORD_BYTES} bajtów"])
    if len(password) < MIN_PASSWORD:
        raise InvalidInput([f"Hasło: co najmniej {MIN_PASSWORD} znaki"])
    return bcrypt.hashpw(raw, bcrypt.gensalt(12)).decode("ascii")


def create_user(
    cur: duckdb.DuckDBPyConnection,
    by: str,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
) -> str:
    """Add a user; with no password a random one is made. Returns the password in clear, once."""
    if role not in ROLES:
        raise InvalidInput([f"Rola: dozwolone wartości: {', '.join(ROLES)}"])
    password = password or secrets.token_urlsafe(12)
    exists = cur.execute("SELECT count(*) FROM app_user WHERE username = ?", [username]).fetchall()[0][0]
    if exists:
        raise InvalidInput([f"Login: użytkownik {username} już istnieje"])
    try:
        cur.execute(
            "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)",
            [username, display_name, role, hash_password(password)],
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
    password = new_password or secrets.token_urlsafe(12)
    password_hash = hash_password(password)
    with transaction(conn) as cur:
        _get_user(cur, username)
        cur.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [password_hash, username])
        audit(cur, actor.username, "update", "app_user", username, None, {"password": "zmienione"})
        _revoke(cur, username)
    return password


def set_active(conn: duckdb.DuckDBPyConnection, actor: Actor, username: str, active: bool) -> None:
    """An admin switches an account on or off; nobody switches their own account off."""
    require_admin(actor)
    if not active and username == actor.username:
        raise InvalidInput(["Nie można wyłączyć własnego konta."])
    with transaction(conn) as cur:
        before = _get_user(cur, username)
        if before["active"] == active:
            return
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


ACTOR_ROLE = "SELECT role FROM app_user WHERE username = ? AND active"
ACTOR_GMINY = "SELECT terc FROM pilot_gmina WHERE animator = ?"


def load_actor(conn: duckdb.DuckDBPyConnection, username: str) -> Actor:
    """The active user `username` as the domain layer sees them: role, and an animator's gminy."""
    cur = conn.cursor()
    rows = cur.execute(ACTOR_ROLE, [username]).fetchall()
    if not rows:
        raise AccessDenied(f"Konto {username} nie istnieje albo jest wyłączone.")
    gminy = frozenset(r[0] for r in cur.execute(ACTOR_GMINY, [username]).fetchall())
    return Actor(username, rows[0][0], gminy)


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


def _revoke(cur: duckdb.DuckDBPyConnection, username: str) -> None:
    set_setting(cur, SESSION_EPOCH_SETTING + username, repr(time.time()))


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
    bcrypt.checkpw(password.encode("utf-8")[:MAX_PASSWORD_BYTES], _DUMMY_HASH[0])
