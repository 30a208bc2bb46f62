"""The read side of audit_log: who changed what and when, with before/after as readable text."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import formatting, vocab
from kooperacja.model import records as models
from kooperacja.model.access import ROLE_LABELS, Actor, require_admin
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
    "document_template": "szablony dokumentów Word",
}
COLUMNS = {
    "changed_at": "Kiedy",
    "username": "Kto",
    "action": "Operacja",
    "table": "Tabela",
    "record_key": "Klucz",
    "terc": "Gmina",
    "before": "Przed",
    "after": "Po",
    "reason": "Powód korekty",
}
# A coded field's Polish labels: by (table, field) where a field name means different things in
# different tables, else by field.
FIELD_VALUES: dict[str, dict[Any, str]] = {
    "variant": vocab.VARIANTS,
    "sector": vocab.SECTORS,
    "level": vocab.LEVELS,
    "route": vocab.ROUTES,
    "category": vocab.SERVICE_CATEGORIES,
    "target_groups": vocab.TARGET_GROUPS,
    "problem_areas": vocab.PROBLEM_AREAS,
    "problem_code": vocab.PROBLEM_AREAS,
    "contract_kind": vocab.CONTRACT_KINDS,
    "evaluation": vocab.EVALUATIONS,
    "closure_reason": vocab.CLOSURE_REASONS,
    "progress": vocab.REPORT_PROGRESS,
    "role": dict(ROLE_LABELS),
}
TABLE_FIELD_VALUES: dict[tuple[str, str], dict[Any, str]] = {
    ("step_event", "kind"): {"started": "rozpoczęcie", "completed": "zakończenie"},
    ("meeting", "kind"): vocab.MEETING_KINDS,
    ("case_file", "kind"): vocab.CASE_KINDS,
    ("recommendation", "kind"): vocab.RECOMMENDATION_KINDS,
    ("recommendation", "status"): vocab.RECOMMENDATION_STATUSES,
    ("wzk_member", "role"): {},  # a free-text function, not an account role
}
# Fields naming another record by its id: shown by that record's name.
NAMED_BY = {
    "institution_id": "SELECT institution_id, name FROM institution",
    "service_id": "SELECT service_id, name FROM service",
    "terc": "SELECT terc, name FROM gmina",
}
MAX_ROWS = 5000
_MODELS = {cls.TABLE: cls for cls in models.Record.__subclasses__() if hasattr(cls, "TABLE")}

CHANGES = """
SELECT audit_id, changed_at, username, action, table_name, record_key, terc,
       before::VARCHAR AS before, after::VARCHAR AS after, reason
FROM audit_log
WHERE ($user IS NULL OR username = $user)
  AND ($table IS NULL OR table_name = $table)
  AND ($terc IS NULL OR left(terc, 6) = left($terc, 6))
  AND ($since IS NULL OR changed_at >= $since)
  AND ($until IS NULL OR changed_at < $until)
ORDER BY audit_id DESC
LIMIT $limit
"""


# Fields of the tables written without a record model (accounts, templates, settings).
FIELD_TITLES = {
    "username": "Login",
    "display_name": "Nazwa wyświetlana",
    "role": "Rola",
    "active": "Aktywne",
    "name": "Nazwa",
    "steps": "Liczba podkroków",
    "version": "Wersja",
    "gminy": "Gminy",
    "kind": "Dokument",  # a Word template's upload (documents/custom.py): its file, not its bytes
    "bytes": "Rozmiar pliku (bajty)",
    "sha256": "Skrót pliku (SHA-256)",
    "uploaded_by": "Przesłał(a)",
    "uploaded_at": "Przesłano",
}
# Writers that are not accounts: the demo builder, the command line, the app itself.
WRITERS = {"demo": "dane demonstracyjne", "cli": "wiersz poleceń", "system": "system"}


def _title(table: str, name: str) -> str:
    cls = _MODELS.get(table)
    title = models.label(cls, name) if cls else name
    return FIELD_TITLES.get(name, KEY_HEADERS.get(name, name)) if title == name else title


def _show(value: Any, labels: dict[Any, str] | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, list):
        return ", ".join(_show(v, labels) for v in value)
    if labels and value in labels:
        return labels[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    return str(value)


def _labels(table: str, field: str, names: dict[str, dict[Any, str]]) -> dict[Any, str] | None:
    found = TABLE_FIELD_VALUES.get((table, field), FIELD_VALUES.get(field))
    if field in names:
        return {k: f"{v} ({k})" for k, v in names[field].items()}
    return found


def readable(
    table: str,
    snapshot: dict[str, Any] | None,
    only: set[str] | None = None,
    names: dict[str, dict[Any, str]] | None = None,
) -> str:
    """A JSON snapshot as "Pole: wartość; …" with the record's Polish field names, codes as their
    labels and the records it names (`names`: field → id → name) by their names.

    >>> readable("pzk_member", {"left_on": "2026-03-05"})
    'Data wystąpienia: 05.03.2026'
    >>> readable("recommendation", {"status": "in_progress"})
    'Status: w realizacji'
    >>> readable("pzk_member", {"institution_id": 226}, names={"institution_id": {226: "GOPS"}})
    'Instytucja: GOPS (226)'
    """
    if not snapshot:
        return ""
    if only is None:  # a whole record: its empty fields say nothing
        items = [(k, v) for k, v in snapshot.items() if v is not None]
    else:
        items = [(k, v) for k, v in snapshot.items() if k in only]
    names = names or {}
    return "; ".join(f"{_title(table, k)}: {_show(v, _labels(table, k, names))}" for k, v in items)


def _snapshots(row: Any) -> tuple[Any, Any]:
    before = json.loads(row.before) if isinstance(row.before, str) else None
    after = json.loads(row.after) if isinstance(row.after, str) else None
    return before, after


def _texts(row: Any, names: dict[str, dict[Any, str]]) -> tuple[str, str]:
    before, after = _snapshots(row)
    changed = None
    if isinstance(before, dict) and isinstance(after, dict):
        changed = {k for k in {*before, *after} if before.get(k) != after.get(k)}
    return (
        readable(row.table_name, before, changed, names),
        readable(row.table_name, after, changed, names),
    )


def _names(conn: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> dict[str, dict[Any, str]]:
    """The names of the records the listed snapshots point to (institutions, services, gminy)."""
    wanted: dict[str, set[Any]] = {field: set() for field in NAMED_BY}
    for row in df.itertuples():
        for snapshot in _snapshots(row):
            if isinstance(snapshot, dict):
                for field in NAMED_BY:
                    if snapshot.get(field) is not None:
                        wanted[field].add(snapshot[field])
    wanted["terc"].update(t for t in df.terc if isinstance(t, str))
    found = {}
    for field, keys in wanted.items():
        if keys:
            rows = conn.cursor().execute(NAMED_BY[field]).fetchall()
            found[field] = {k: str(name) for k, name in rows if k in keys}
    return found


def display_names(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each account's display name by login (for "Kto"); a login without an account stays as it is."""
    rows = conn.cursor().execute("SELECT username, display_name FROM app_user").fetchall()
    return WRITERS | {u: (d or u) for u, d in rows}


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
    names = _names(conn, df) if len(df) else {}
    texts = [_texts(row, names) for row in df.itertuples()] if len(df) else []
    people, gminy = display_names(conn), names.get("terc", {})
    out = pd.DataFrame(
        {
            "changed_at": [formatting.fmt_datetime(t) for t in df.changed_at],
            "username": [people.get(u, u) for u in df.username],
            "action": df.action.map(ACTIONS),
            "table": df.table_name.map(lambda t: TABLE_LABELS.get(t, t)),
            "record_key": df.record_key,
            "terc": [_gmina(t, gminy) for t in df.terc],
            "before": [b for b, _ in texts],
            "after": [a for _, a in texts],
            "reason": [r if isinstance(r, str) else "" for r in df.reason],
        }
    )
    return out.rename(columns=COLUMNS)


def _gmina(terc: Any, names: dict[Any, str]) -> str:
    if not isinstance(terc, str):
        return ""
    return f"{names[terc]} ({terc})" if terc in names else terc


def audit_users(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT username FROM audit_log ORDER BY 1").fetchall()]


def audit_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1").fetchall()]
