"""Writes on the alerts: explain an alert (or withdraw the explanation), assign a notification."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from kooperacja.model import access
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput, NotFound
from kooperacja.model.records import AlertExplanation, ZgloszenieAssignment, correction_reason
from kooperacja.programme import alerts
from kooperacja.warehouse import transaction
from kooperacja.warehouse.store import delete, get_row, insert, update

CARER = "SELECT 1 FROM app_user WHERE username = ? AND active AND list_contains(?, role)"
ZGLOSZENIE = "SELECT terc FROM zgloszenie WHERE zgloszenie_id = ?"
ASSIGNED = "SELECT 1 FROM zgloszenie_assignment WHERE zgloszenie_id = ?"


def explain_alert(
    conn: duckdb.DuckDBPyConnection, actor: Actor, alert_id: str, reason: str, today: date
) -> None:
    """Mark an alert of the to-do list "wyjaśnione" with a reason (audited): it leaves the list.

    An animator explains the alerts of their gminy, the notifications assigned to them and the
    region's; an admin any; the WZK and the Zarząd none.
    """
    access.require_write_data(actor, "wyjaśniać alertów")
    text = correction_reason(reason)
    todo = alerts.list_alerts(conn, today)
    found = todo[todo.alert_id == alert_id]
    if found.empty:
        raise NotFound(
            "Tego alertu nie ma na liście zadań (sprawa zamknięta, termin minął albo już wyjaśniony)."
        )
    row = found.iloc[0]
    terc = None if pd.isna(row.terc) else str(row.terc)
    access.require_explain_alert(actor, terc, None if pd.isna(row.animator) else str(row.animator))
    record = AlertExplanation.parse(
        {
            "alert_id": alert_id,
            "rule": row.rule,
            "terc": terc,
            "reason": text,
            "explained_by": actor.username,
            "explained_at": datetime.now(),
        }
    )
    with transaction(conn) as cur:
        insert(cur, actor.username, record, terc)


def withdraw_explanation(
    conn: duckdb.DuckDBPyConnection, actor: Actor, alert_id: str, reason: str, today: date
) -> None:
    """Withdraw an explanation (an audited delete with its reason): the alert is a to-do again."""
    access.require_write_data(actor, "wycofywać wyjaśnień alertów")
    text = correction_reason(reason)
    with transaction(conn) as cur:
        before = get_row(cur, AlertExplanation, alert_id)
        if before["explained_by"] != actor.username:
            access.require_explain_alert(actor, before["terc"], None)
        delete(cur, actor.username, AlertExplanation, alert_id, reason=text)


def assign_zgloszenie(
    conn: duckdb.DuckDBPyConnection, actor: Actor, zgloszenie_id: int, animator: str
) -> None:
    """The admin gives a notification to an animator (or an admin), who then answers its 7-day clock."""
    access.require_admin(actor)
    cur = conn.cursor()
    terc = cur.execute(ZGLOSZENIE, [zgloszenie_id]).fetchall()
    if not terc:
        raise NotFound(f"Nie ma zgłoszenia {zgloszenie_id}.")
    if not cur.execute(CARER, [animator, list(access.GMINA_CARERS)]).fetchall():
        raise InvalidInput([f"Animator: {animator or 'nie wybrano'} — wybierz aktywne konto animatora"])
    record = ZgloszenieAssignment.parse(
        {"zgloszenie_id": zgloszenie_id, "animator": animator, "assigned_by": actor.username}
    )
    with transaction(conn) as cur:
        if cur.execute(ASSIGNED, [zgloszenie_id]).fetchall():
            changes = {"animator": animator, "assigned_by": actor.username}
            update(cur, actor.username, ZgloszenieAssignment, zgloszenie_id, changes)
        else:
            insert(cur, actor.username, record, terc[0][0])
