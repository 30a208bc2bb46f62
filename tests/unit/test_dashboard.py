"""Overview figures and the to-do list filters."""

from __future__ import annotations

import pandas as pd

from kooperacja.model import disclosure
from kooperacja.model.access import Actor
from kooperacja.programme import dashboard


def _alerts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule": ["step_overdue", "monthly_report", "wzk_quarterly", "step_due", "first_contact"],
            "rule_label": ["Krok po terminie", "Brak sprawozdania", "WZK", "Krok do zrobienia", "Kontakt"],
            "terc": ["A", "B", None, "A", "B"],
            "gmina": ["Alfa", "Beta", None, "Alfa", "Beta"],
            "animator": ["animator1", "animator2", None, "animator1", "animator2"],
            "days_over": [10, 3, 0, -2, 0],
        }
    )


def _overview() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "terc": ["A", "B", "C"], "variant": ["rural", "rural", "urban"],
            "progress_state": ["late", "on_time", "stalled"], "pzk_members": [3, 4, 0],
            "cases_open": [2, 0, 7], "cases_closed": [1, 1, 0], "current_step": ["5.2", None, "2.1"],
        }
    )  # fmt: skip


def test_kpis_count_gminy_by_variant_and_state_and_alerts_by_urgency():
    k = dashboard.kpis(_overview(), _alerts())
    assert k.gminy == 3
    assert k.by_variant == {"rural": 2, "urban_rural": 0, "urban": 1}
    assert k.by_state == {"on_time": 1, "late": 1, "stalled": 1}
    assert (k.pzk_members, k.cases_open, k.cases_closed) == (7, 9, 2)
    assert (k.alerts_overdue, k.alerts_today, k.alerts_soon) == (2, 2, 1)


def test_overview_table_counts_alerts_per_gmina_and_names_the_state():
    table = dashboard.overview_table(_overview(), _alerts())
    assert table.set_index("terc").alerts.to_dict() == {"A": 2, "B": 2, "C": 0}
    assert list(table.progress_state) == ["opóźniona", "w terminie", "zatrzymana"]
    assert table.current_step[1] == "—"


def test_filters_narrow_by_animator_gmina_and_rule_and_keep_region_alerts_for_an_animator():
    alerts = _alerts()
    assert len(dashboard.filter_alerts(alerts)) == 5
    mine = dashboard.filter_alerts(alerts, animators=["animator1"])
    assert list(mine.rule) == ["step_overdue", "wzk_quarterly", "step_due"]
    assert list(dashboard.filter_alerts(alerts, gminy=["B"]).rule) == ["monthly_report", "first_contact"]
    assert list(dashboard.filter_alerts(alerts, animators=["animator1"], rules=["step_due"]).terc) == ["A"]


def test_case_level_alerts_are_hidden_from_the_wzk_and_the_zarzad():
    alerts = _alerts()
    assert "monthly_report" in set(dashboard.visible_alerts(alerts, Actor("a", "animator")).rule)
    assert "monthly_report" not in set(dashboard.visible_alerts(alerts, Actor("w", "wzk")).rule)


def test_small_counts_are_suppressed_but_zero_stays():
    out = disclosure.suppress_frame(_overview(), ["cases_open"])
    assert list(out.cases_open) == ["<5", 0, 7]


def test_alert_counts_per_rule_most_first_and_statuses_in_words():
    counts = dashboard.alert_counts(pd.concat([_alerts(), _alerts().head(1)]))
    assert counts.iloc[0].to_dict() == {"rule_label": "Krok po terminie", "count": 2}
    table = dashboard.alerts_table(_alerts())
    assert list(table.status) == [
        "po terminie",
        "po terminie",
        "do zrobienia",
        "do zrobienia",
        "do zrobienia",
    ]
    assert table.gmina[2] == "(region)"
