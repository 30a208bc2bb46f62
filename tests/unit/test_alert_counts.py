"""The counts of the alert lists have one home each (programme.alerts), whoever shows them."""

from __future__ import annotations

import pandas as pd

from kooperacja.model.access import Actor
from kooperacja.programme import alerts, dashboard


def _alerts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule": ["step_overdue", "monthly_report", "first_contact", "step_due", "monitoring"],
            "terc": ["A", "A", "B", None, "A"],
            "animator": ["animator1", "animator1", None, None, "animator1"],
            "days_over": [3, 12, 0, -2, 1],
        }
    )


def test_overdue_today_and_soon_are_counted_by_one_function_each():
    frame = _alerts()
    assert (alerts.overdue_count(frame), alerts.due_today_count(frame), alerts.due_soon_count(frame)) == (
        3,
        1,
        1,
    )
    k = dashboard.kpis(pd.DataFrame(columns=["variant", "progress_state", "pzk_members", "cases_open",
                                             "cases_closed"]), frame)  # fmt: skip
    assert (k.alerts_overdue, k.alerts_today, k.alerts_soon) == (3, 1, 1)


def test_a_tile_label_names_what_it_counts_for_roles_that_see_fewer_alerts():
    frame = _alerts()
    rops = dict(dashboard.alert_tiles(frame, Actor("a", "admin")))
    wzk = dict(dashboard.alert_tiles(frame, Actor("w", "wzk")))
    assert rops["Alerty po terminie"] == 3
    assert "Alerty po terminie" not in wzk  # the WZK does not see case alerts: another label, another count
    assert wzk["Alerty po terminie (bez spraw)"] == 1


def test_unassigned_alerts_are_those_of_a_gmina_without_an_animator():
    assert list(alerts.unassigned(_alerts()).rule) == ["first_contact"]


def test_every_recorded_breach_is_of_an_alert_rule_and_named_in_polish():
    from kooperacja.model import rules

    assert set(rules.BREACH_LABELS) <= set(rules.RULE_LABELS)
    assert rules.BREACH_LABELS["ggk_notice"] == "Spotkanie GGK/ZZK bez powiadomienia 5 dni wcześniej"
