"""The read side of audit_log: who changed what and when, with before/after as readable text."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import records as models
from kooperacja.model.access import Actor, require_admin
from kooperacja.model.records import KEY_HEADERS

ACTIONS = {"insert": "dodanie", "update": "zmiana", "delete": "usunięcie"}
TABLE_LABELS = {
    "gmina": "gminy (TERC)",
    "powiat": "powiaty (TERC)",
    "wojewodztwo": "województwa (TERC)",
    "template": "szablony harmonogramu",
    "pilot_gmina": "gminy w pilotażu",
    "pilot_exit": "wyjścia z pilotażu",
    "plan_shift": "przesunięcia planu",
    "step_event": "zdarzenia kroków",
    "zgloszenie": "zgłoszenia",
    "institution": "instytucje",
    "pzk_member": "członkowie PZK",
    "meeting": "spotkania",
    "meeting_attendee": "uczestnicy spotkań",
    "app_user": "użytkownicy",
    "case_file": "sprawy",
    "case_problem": "obszary problemowe spraw",
    "case_goal": "cele spraw",
    "case_task": "zadania spraw",
    "monthly_report": "sprawozdania miesięczne",
    "service": "usługi",
    "case_service": "usługi w sprawach",
    "wzk_member": "członkowie WZK",
    "wzk_attendance": "obecność na WZK",
    "recommendation": "rekomendacje",
    "gmina_boundary": "granice gmin",
    "alert_explanation": "wyjaśnienia alertów",
    "zgloszenie_assignment": "przydział zgłoszeń",
}
COLUMNS = {
    "changed_at": "Kiedy",
    "username": "Kto",
    "action": "Operacja",
    "table": "Tabela",
    "record_key": "Klucz",
    "terc": "TERC",
    "before": "Przed",
    "after": "Po",
}
MAX_ROWS = 5000
_MODELS = {cls.TABLE: cls for cls in models.Record.__subclasses__() if hasattr(cls, "TABLE")}

CHANGES = """
SELECT audit_id, changed_at, username, action, table_name, record_key, terc,
       before::VARCHAR AS before, after::VARCHAR AS after
FROM audit_log
WHERE ($user IS NULL OR username = $user)
  AND ($table IS NULL OR table_name = $table)
  AND ($terc IS NULL OR left(terc, 6) = left($terc, 6))
  AND ($since IS NULL OR changed_at >= $since)
  AND ($until IS NULL OR changed_at < $until)
ORDER BY audit_id DESC
LIMIT $limit
"""


def _title(table: str, name: str) -> str:
    cls = _MODELS.get(table)
    title = models.label(cls, name) if cls else name
    return KEY_HEADERS.get(name, name) if title == name else title


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    return str(value)


def readable(table: str, snapshot: dict[str, Any] | None, only: set[str] | None = None) -> str:
    """A JSON snapshot as "Pole: wartość; …" with the record's Polish field names.

    >>> readable("pzk_member", {"left_on": "2026-03-05"})
    'Data wystąpienia: 05.03.2026'
    """
    if not snapshot:
        return ""
    if only is None:  # a whole record: its empty fields say nothing
        items = [(k, v) for k, v in snapshot.items() if v is not None]
    else:
        items = [(k, v) for k, v in snapshot.items() if k in only]
    return "; ".join(f"{_title(table, k)}: {_show(v)}" for k, v in items)


def _texts(row: Any) -> tuple[str, str]:
    before = json.loads(row.before) if isinstance(row.before, str) else None
    after = json.loads(row.after) if isinstance(row.after, str) else None
    changed = None
    if isinstance(before, dict) and isinstance(after, dict):
        changed = {k for k in {*before, *after} if before.get(k) != after.get(k)}
    return readable(row.table_name, before, changed), readable(row.table_name, after, changed)


def list_changes(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    user: str | None = None,
    table: str | None = None,
    terc: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """Audited writes, newest first, filtered; Polish column names, updates showing only what changed.

    A gmina filter matches the first 6 TERC digits: the 7th changes when GUS retypes a gmina, and
    audit rows keep the code they were written with.
    """
    require_admin(actor)
    params = {
        "user": user,
        "table": table,
        "terc": terc,
        "since": since,
        "limit": limit,
        "until": until + timedelta(days=1) if until else None,
    }
    df = conn.execute(CHANGES, params).df()
    texts = [_texts(row) for row in df.itertuples()] if len(df) else []
    out = pd.DataFrame(
        {
            "changed_at": df.changed_at,
            "username": df.username,
            "action": df.action.map(ACTIONS),
            "table": df.table_name.map(lambda t: TABLE_LABELS.get(t, t)),
            "record_key": df.record_key,
            "terc": df.terc,
            "before": [b for b, _ in texts],
            "after": [a for _, a in texts],
        }
    )
    return out.rename(columns=COLUMNS)


def audit_users(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT username FROM audit_log ORDER BY 1").fetchall()]


def audit_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1").fetchall()]
