"""The read side of audit_log: who changed what and when, with before/after as readable text."""

from __future__ import annotations

import functools
import json
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import records as models
from kooperacja.model import vocab
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
SELECT audit_id, strftime(changed_at, '%d.%m.%Y %H:%M') AS changed_at,
       username, action, table_name, record_key, terc,
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


@functools.cache
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


def _labels(table: str, field: str, named: dict[str, dict[Any, str]]) -> dict[Any, str] | None:
    """A field's labels: the named records' "name (id)" (`named`, see `_named`), else its codes'."""
    if field in named:
        return named[field]
    return TABLE_FIELD_VALUES.get((table, field), FIELD_VALUES.get(field))


def _named(names: dict[str, dict[Any, str]]) -> dict[str, dict[Any, str]]:
    """Each named record as "name (id)", made once per listing (not once per shown field)."""
    return {field: {k: f"{v} ({k})" for k, v in ids.items()} for field, ids in names.items()}


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
    return _readable(table, snapshot, only, _named(names or {}))


def _readable(
    table: str, snapshot: dict[str, Any] | None, only: set[str] | None, named: dict[str, dict[Any, str]]
) -> str:
    if not snapshot:
        return ""
    if only is None:  # a whole record: its empty fields say nothing
        items = [(k, v) for k, v in snapshot.items() if v is not None]
    else:
        items = [(k, v) for k, v in snapshot.items() if k in only]
    parts = []
    for k, v in items:
        labels = _labels(table, k, named)
        if type(v) is str and not (labels and v in labels) and not (len(v) == 10 and v[4] == "-"):
            parts.append(f"{_title(table, k)}: {v}")  # most values: a plain text, as `_show` gives it
        else:
            parts.append(f"{_title(table, k)}: {_show(v, labels)}")
    return "; ".join(parts)


def _texts(table: str, before: Any, after: Any, named: dict[str, dict[Any, str]]) -> tuple[str, str]:
    changed = None
    if isinstance(before, dict) and isinstance(after, dict):
        changed = {k for k in {*before, *after} if before.get(k) != after.get(k)}
    return _readable(table, before, changed, named), _readable(table, after, changed, named)


def _names(
    conn: duckdb.DuckDBPyConnection, snapshots: list[tuple[Any, Any]], tercs: list[Any]
) -> dict[str, dict[Any, str]]:
    """The names of the records the listed snapshots point to (institutions, services, gminy)."""
    wanted: dict[str, set[Any]] = {field: set() for field in NAMED_BY}
    for pair in snapshots:
        for snapshot in pair:
            if isinstance(snapshot, dict):
                for field in NAMED_BY:
                    if snapshot.get(field) is not None:
                        wanted[field].add(snapshot[field])
    wanted["terc"].update(t for t in tercs if isinstance(t, str))
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
    # Plain tuples, not a frame: the texts are made row by row, and a frame's cells cost more to
    # iterate than the texts cost to make (the listing is up to MAX_ROWS rows).
    rows = conn.execute(CHANGES, params).fetchall()
    cols = list(zip(*rows, strict=True)) if rows else [()] * 10
    _, changed_at, usernames, actions, tables, keys, tercs, befores, afters, reasons = cols
    snapshots = [
        (json.loads(b) if isinstance(b, str) else None, json.loads(a) if isinstance(a, str) else None)
        for b, a in zip(befores, afters, strict=True)
    ]
    names = _names(conn, snapshots, list(tercs)) if rows else {}
    named = _named(names)
    texts = [_texts(t, b, a, named) for t, (b, a) in zip(tables, snapshots, strict=True)]
    people, gminy = display_names(conn), names.get("terc", {})
    out = pd.DataFrame(
        {
            "changed_at": list(changed_at),  # dd.mm.rrrr gg:mm, as formatting.fmt_datetime
            "username": [people.get(u, u) for u in usernames],
            "action": [ACTIONS.get(a) for a in actions],
            "table": [TABLE_LABELS.get(t, t) for t in tables],
            "record_key": list(keys),
            "terc": [_gmina(t, gminy) for t in tercs],
            "before": [b for b, _ in texts],
            "after": [a for _, a in texts],
            "reason": [r if isinstance(r, str) else "" for r in reasons],
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
