"""Per-session state for the pages: the warehouse connection, the acting user, today, filters."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

import duckdb
import streamlit as st

from kooperacja import warehouse
from kooperacja.accounts import users
from kooperacja.model import access
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.ui import errors
from kooperacja.warehouse import backup_schedule

_log = logging.getLogger(__name__)


def _close(conn: duckdb.DuckDBPyConnection) -> None:
    # Closing releases DuckDB's database instance: a new connect() to the path then opens a fresh one
    # (while any connection to it lives, connect() hands back the same, possibly invalidated, instance).
    try:
        conn.close()
    except duckdb.Error:
        _log.warning("Zamknięcie połączenia z hurtownią nie powiodło się", exc_info=True)


@st.cache_resource(show_spinner=False, on_release=_close)
def _shared_connection(path: str) -> duckdb.DuckDBPyConnection:
    # One connection per process; every caller gets its own cursor (a connection is not thread-safe).
    # The app never creates an empty warehouse: a wrong path must say so, not offer an empty login.
    return warehouse.connect(path, create=False)


def drop_connection() -> bool:
    """Drop the cached connection if DuckDB invalidated it; the next get_conn() opens a fresh one.

    After a fatal error (e.g. a CHECKPOINT on a full disk) every query on the connection fails until
    the database is reopened. The check runs on the cached connection itself, so a session whose
    cursor failed only because another session already reopened the warehouse keeps the new one.
    Returns True when the connection was dropped. The daily backup thread, which holds the
    connection, is stopped with it and started again on the next run.
    """
    path = str(warehouse.db_path().resolve())
    try:
        if warehouse.is_usable(_shared_connection(path)):
            return False
    except Exception:  # the warehouse cannot even be opened: nothing cached to drop
        return False
    _log.error("Połączenie z hurtownią jest nieużywalne: otwieram je ponownie")
    _daily_backups.clear()
    _shared_connection.clear()
    return True


def get_conn() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's warehouse, for this script run."""
    return _shared_connection(str(warehouse.db_path().resolve())).cursor()


@st.cache_resource(show_spinner=False, on_release=lambda thread: thread and thread.stop())
def _daily_backups(path: str) -> backup_schedule.DailyBackups | None:
    if not backup_schedule.daily_enabled():
        return None
    folder = backup_schedule.backup_dir(Path(path))
    return backup_schedule.start_daily(_shared_connection(path), folder, backup_schedule.keep_count())


def start_daily_backups() -> backup_schedule.DailyBackups | None:
    """Start, once per app process, the thread that makes a backup each day the app runs."""
    return _daily_backups(str(warehouse.db_path().resolve()))


def today() -> date:
    """Today's date; KOOPERACJA_TODAY (YYYY-MM-DD) pins it for tests and demonstrations."""
    pinned = os.environ.get("KOOPERACJA_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def current_actor() -> Actor:
    """The logged-in user as the domain layer sees them (role, and an animator's gminy)."""
    username = st.session_state.get("username")
    if not st.session_state.get("authentication_status") or not username:
        raise AccessDenied("Zaloguj się, aby zobaczyć tę stronę.")
    from kooperacja.ui import data  # the data versions; data imports this module

    return _actor(*data.version_key("actor"), username)


@st.cache_resource(show_spinner=False, max_entries=16)  # each carries ~2,500 names nationally
def _actor(path: str, today: date, token: str, username: str) -> Actor:
    # Read again after any write to the users, the pilot or the territory (a role changed or an
    # account disabled counts at the next run); the names of ~2,500 pilot gminy an actor carries took
    # ~25 ms a page run to read nationally. AccessDenied is raised, never kept.
    return users.load_actor(get_conn(), username)


def require_role(*roles: str) -> Actor:
    """Stop the page unless the user has one of `roles` (a second guard behind the navigation)."""
    actor = current_actor()
    if not access.has_role(actor, roles):
        errors.show(AccessDenied("Brak uprawnień do tej strony."))
        st.stop()
    return actor


def require_page(page: str) -> Actor:
    """Stop the page unless access.PAGE_ROLES offers `page` to the user."""
    return require_role(*access.PAGE_ROLES[page])
