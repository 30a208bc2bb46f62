"""Case figures: one named trace each, suppressed counts drawn as labelled empty bars."""

from __future__ import annotations

import pandas as pd

from kooperacja.charts import cases as case_charts
from kooperacja.model.disclosure import suppress_frame as suppress_small


def test_the_funnel_has_one_trace_with_a_bar_per_stage():
    funnel = pd.DataFrame({"label": ["zgłoszona", "plan pracy", "zakończona"], "reached": [12, 7, 0]})
    fig = case_charts.funnel_figure(funnel)
    assert [t.name for t in fig.data] == ["Sprawy"] and list(fig.data[0].x) == [12, 7, 0]


def test_a_suppressed_count_is_an_empty_bar_labelled_under_five():
    reasons = suppress_small(
        pd.DataFrame({"label": ["osiągnięcie celów", "rezygnacja"], "cases": [3, 9]}), ["cases"]
    )
    fig = case_charts.closure_figure(reasons)
    assert list(fig.data[0].x) == [0, 9] and list(fig.data[0].text) == ["<5", "9"]


def test_suppression_keeps_zero_and_counts_of_five_or_more():
    out = suppress_small(pd.DataFrame({"n": [0, 1, 4, 5, 120]}), ["n"])
    assert out.n.tolist() == [0, "<5", "<5", 5, 120]
