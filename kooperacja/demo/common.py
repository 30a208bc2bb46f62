"""What both scales share: the demo accounts and settings, the plan profiles, date helpers."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import duckdb

from kooperacja import warehouse
from kooperacja.accounts.users import create_user
from kooperacja.demo import names as N

DEMO_PASSWORD = "demo"
DEMO_USERS = [(u, N.DEMO_DISPLAY[u], role) for u, role in
              [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator"), ("wzk", "wzk"),
               ("zarzad", "zarzad")]]  # fmt: skip
ANIMATORS = ("animator1", "animator2")
SHIFT_DAYS, SHIFT_FROM = 45, "5.1"
STALL_DAYS = 118  # the stalled gmina's last event is older than the 90 days the rule allows


def write_settings(
    cur: duckdb.DuckDBPyConnection, today: date, region_name: str, woj: str, programme_start: date
) -> None:
    for key, value in {
        "demo": "true",
        "demo_built_on": today.isoformat(),
        "region_name": region_name,
        "wojewodztwo": woj,
        "programme_start": programme_start.isoformat(),
        "cookie_key": secrets.token_hex(32),
    }.items():
        warehouse.set_setting(cur, key, value)


def create_demo_users(cur: duckdb.DuckDBPyConnection) -> None:
    for username, display, role in DEMO_USERS:
        create_user(cur, "demo", username, display, role, DEMO_PASSWORD, check_strength=False)


def workday(d: date) -> date:
    """The Friday before a weekend day: offices meet and sign on working days."""
    return d - timedelta(days=max(0, d.weekday() - 4))


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _powiat_locative(name: str, is_city: bool) -> str:
    """ "w powiecie kutnowskim" / "w mieście Łódź" for a powiat name from the TERC register."""
    name = name.removeprefix("powiat ").strip()
    if is_city or not name.endswith(("i", "y")):
        return f"w mieście {name}"
    return f"w powiecie {name}m"
