"""The cooperation-survey alerts: a missing baseline by K5, a missing endline by K9."""

from __future__ import annotations

from datetime import date

from kooperacja.model.access import SYSTEM
from kooperacja.network import queries as Q
from kooperacja.network import services as S
from kooperacja.programme import alerts

TODAY = date(2026, 11, 24)


def _network_alerts(conn):
    found = alerts.list_alerts(conn, TODAY)
    return found[found.rule.str.startswith("network_")].set_index("alert_id")


def test_a_gmina_at_k9_without_an_endline_has_an_alert_until_the_survey_is_saved(demo_conn):
    before = _network_alerts(demo_conn)
    endline = before[before.rule == "network_endline"]
    assert len(endline) >= 1
    row = endline.iloc[0]
    assert row.rule_label == "Brak badania końcowego współpracy"
    assert row.link == f"siec?terc={row.terc}" and row.days_over >= 0
    S.create_wave(demo_conn, SYSTEM, {"terc": row.terc, "held_on": TODAY, "kind": "ewaluacja"}, TODAY)
    assert row.name not in _network_alerts(demo_conn).index


def test_a_gmina_past_k5_whose_baseline_is_withdrawn_has_a_baseline_alert(demo_conn):
    assert not (_network_alerts(demo_conn).rule == "network_baseline").any()
    waves = Q.waves(demo_conn, "3401011")
    baseline = int(waves[waves.kind == "diagnoza"].wave_id.iloc[0])
    S.withdraw_wave(demo_conn, SYSTEM, baseline, reason="badanie wpisane do złej gminy")
    found = _network_alerts(demo_conn)
    row = found.loc["network_baseline:3401011:K5"]
    assert row.rule_label == "Brak badania współpracy na etapie diagnozy"
    assert row.due_on < date(2026, 1, 1) and row.days_over > 300  # K5 was reached in November 2025
