"""Application users: bcrypt-hashed credentials kept in the warehouse, one role each."""

from __future__ import annotations

import secrets

import bcrypt
import duckdb

from kooperacja.errors import InvalidInput
from kooperacja.vocab import ROLES
from kooperacja.warehouse import audit, fetch_dicts

MIN_PASSWORD = 4
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; longer passwords are refused, not silently cut


def hash_password(password: str) -> str:
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise InvalidInput([f"Hasło: najwyżej {MAX_PASSWORD_BYTES} bajtów"])
    if len(password) < MIN_PASSWORD:
        raise InvalidInput([f"Hasło: co najmniej {MIN_PASSWORD} znaki"])
    return bcrypt.hashpw(raw, bcrypt.gensalt(12)).decode("ascii")


def create_user(cur: duckdb.DuckDBPyConnection, by: str, username: str, display_name: str,
                role: str, password: str | None = None) -> str:
    """Add a user; with no password a random one is made. Returns the password in clear, once."""
    if role not in ROLES:
        raise InvalidInput([f"Rola: dozwolone wartości: {', '.join(ROLES)}"])
    password = password or secrets.token_urlsafe(12)
    exists = cur.execute("SELECT count(*) FROM app_user WHERE username = ?", [username]).fetchall()[0][0]
    if exists:
        raise InvalidInput([f"Login: użytkownik {username} już istnieje"])
    try:
        cur.execute("INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)",
                    [username, display_name, role, hash_password(password)])
    except duckdb.ConstraintException:
        raise InvalidInput([f"Login: {username!r} — tylko małe litery, cyfry, . _ -, 2–32 znaki"]) from None
    audit(cur, by, "insert", "app_user", username, None,
          {"username": username, "display_name": display_name, "role": role})
    return password


def list_users(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    return fetch_dicts(cur, "SELECT username, display_name, role, active, created_at FROM app_user "
                            "ORDER BY username")
