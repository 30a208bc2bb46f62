"""Shared fixtures: a fresh warehouse file per test, and the developer's own data kept out."""

from __future__ import annotations

import pytest

from kooperacja import warehouse
from kooperacja.accounts import login_throttle


@pytest.fixture(autouse=True)
def _no_real_warehouse(monkeypatch, tmp_path):
    # A test that forgets --db must never touch data/kooperacja.duckdb.
    monkeypatch.setenv("KOOPERACJA_DB", str(tmp_path / "default.duckdb"))
    login_throttle.LOGIN_THROTTLE.reset()  # failed logins of one test must not slow the next


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "test.duckdb"


@pytest.fixture
def conn(db_file):
    c = warehouse.connect(db_file)
    yield c
    c.close()


DEMO_TODAY = "2026-11-24"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The pilot demo region built once per test session, with today pinned; treat as read-only.

    Pinned to the fictional region: many tests rely on its gminy and figures (the real-region demo,
    the default of `python -m kooperacja demo`, has its own tests and the `real_demo_db` fixture).
    """
    from datetime import date

    from kooperacja.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, today=date.fromisoformat(DEMO_TODAY), fictional=True)
    return path


@pytest.fixture(scope="session")
def real_demo_db(tmp_path_factory):
    """The default demo: the programme over kujawsko-pomorskie's 144 real gminy, with boundaries."""
    from datetime import date

    from kooperacja.demo import build_demo

    path = tmp_path_factory.mktemp("real-demo") / "demo.duckdb"
    build_demo(path, today=date.fromisoformat(DEMO_TODAY))
    return path


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    """Six gminy of the national generator (synthetic, as the bench's `tiny` scale but smaller),
    built once per test session with today pinned; treat as read-only."""
    from datetime import date

    from kooperacja import warehouse
    from kooperacja.demo import build_national

    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    conn = warehouse.connect(path)
    try:
        build_national(conn, date.fromisoformat(DEMO_TODAY), lambda _m: None, synthetic=True, gminy_limit=6)
    finally:
        conn.close()
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    """A fresh copy of the demo warehouse file, for a test that writes or opens it its own way."""
    import shutil

    path = tmp_path / "demo-copy.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def demo_conn(demo_copy):
    """A connection on a fresh copy of the demo warehouse."""
    c = warehouse.connect(demo_copy)
    yield c
    c.close()


def pytest_terminal_summary(terminalreporter):
    """The figures of the reliability tests (issue 8), printed when this run made any."""
    from tests.reliability_figures import RELIABILITY

    if not RELIABILITY:
        return
    terminalreporter.section("niezawodność: wyniki")
    for name, amount in sorted(RELIABILITY.items()):
        terminalreporter.write_line(f"{name}: {amount}")
