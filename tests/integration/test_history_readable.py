"""Historia zmian reads as Polish: labels instead of codes, names instead of ids and logins, the
time of day, and a correction's reason (issue 13)."""

from __future__ import annotations

import re

from kooperacja.model import records
from kooperacja.model.access import SYSTEM
from kooperacja.warehouse import history, store, transaction


def test_a_change_shows_labels_names_time_and_reason(demo_conn):
    rec_id, inst_id, membership = demo_conn.execute(
        "SELECT (SELECT min(recommendation_id) FROM recommendation WHERE status = 'open'),"
        " (SELECT max(institution_id) FROM institution),"
        " (SELECT min(membership_id) FROM pzk_member"
        "  WHERE institution_id <> (SELECT max(institution_id) FROM institution))"
    ).fetchone()
    inst_name = demo_conn.execute(
        "SELECT name FROM institution WHERE institution_id = ?", [inst_id]
    ).fetchone()[0]
    with transaction(demo_conn) as cur:
        store.update(
            cur, "animator1", records.Recommendation, rec_id, {"status": "in_progress"}, reason="Pomyłka"
        )
        store.update(
            cur, "admin", records.PzkMember, membership, {"institution_id": inst_id}, reason="Zła instytucja"
        )
    changes = history.list_changes(demo_conn, SYSTEM)
    rec = changes[changes["Tabela"] == "rekomendacje"].iloc[0]
    assert rec["Przed"] == "Status: otwarta" and rec["Po"] == "Status: w realizacji"
    assert rec["Kto"] == "Anna Nowakowska, animatorka (demo)"
    assert rec["Powód korekty"] == "Pomyłka"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", rec["Kiedy"])
    pzk = changes[changes["Tabela"] == "członkowie PZK"].iloc[0]
    assert pzk["Po"] == f"Instytucja: {inst_name} ({inst_id})"
    assert re.fullmatch(r".+ \(\d{7}\)", pzk["Gmina"])  # the gmina by name, its TERC beside
    assert "animator1" not in " ".join(changes["Kto"]) and "admin" not in " ".join(changes["Kto"])
