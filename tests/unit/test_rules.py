"""Dated rules of the model, on pinned dates."""

from __future__ import annotations

import doctest
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from kooperacja.model import rules
from kooperacja.model.rules import (
    RULE_LABELS,
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_ORDER,
    Alert,
    Status,
    StepState,
    add_months,
    days_pl,
    first_contact_state,
    is_due_soon,
    is_stalled,
    missing_report_months,
    monitoring_overdue_days,
    month_starts,
    notice_short_days,
    planned_window,
    recurring_months,
    self_formed_report_late_days,
    step_state,
    wzk_overdue_days,
)

D = date


def test_every_worked_example_in_the_docstrings_holds():
    failures, tried = doctest.testmod(rules)
    assert tried > 20
    assert failures == 0


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),
        (D(2026, 12, 1), 1, D(2027, 1, 1)),
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 10), -1, D(2025, 12, 10)),
        (D(2026, 1, 1), 24, D(2028, 1, 1)),
    ],
)
def test_add_months_moves_by_calendar_months_and_clamps_the_day(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("plan_start", "first", "last", "shift", "expected"),
    [
        (D(2026, 1, 1), 2, 2, 0, (D(2026, 2, 1), D(2026, 2, 28))),
        (D(2026, 1, 1), 1, 1, 0, (D(2026, 1, 1), D(2026, 1, 31))),
        (D(2026, 1, 1), 1, 18, 0, (D(2026, 1, 1), D(2027, 6, 30))),
        (D(2027, 12, 1), 3, 3, 0, (D(2028, 2, 1), D(2028, 2, 29))),
        (D(2026, 1, 15), 1, 1, 0, (D(2026, 1, 15), D(2026, 2, 14))),
        (D(2026, 1, 1), 2, 2, 10, (D(2026, 2, 11), D(2026, 3, 10))),
        (D(2026, 1, 1), 2, 2, -3, (D(2026, 1, 29), D(2026, 2, 25))),
    ],
)
def test_planned_window_runs_from_the_first_to_the_last_day_of_its_months(
    plan_start, first, last, shift, expected
):
    assert planned_window(plan_start, first, last, shift) == expected


@pytest.mark.parametrize(("first", "last"), [(0, 2), (3, 2), (-1, 1)])
def test_planned_window_refuses_months_that_are_not_in_a_harmonogram(first, last):
    with pytest.raises(ValueError, match="miesiące"):
        planned_window(D(2026, 1, 1), first, last)


@pytest.mark.parametrize(
    ("start", "end", "every", "expected"),
    [
        (6, 18, 3, [6, 9, 12, 15, 18]),
        (6, 20, 3, [6, 9, 12, 15, 18]),
        (6, 21, 3, [6, 9, 12, 15, 18, 21]),
        (7, 21, None, [7]),
        (7, 21, 0, [7]),
        (4, 4, 1, [4]),
        (1, 3, 1, [1, 2, 3]),
    ],
)
def test_recurring_months_repeat_every_n_months_within_the_window(start, end, every, expected):
    assert recurring_months(start, end, every) == expected


def test_recurring_months_refuse_a_negative_interval():
    with pytest.raises(ValueError):
        recurring_months(1, 6, -3)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 dni"),
        (1, "1 dzień"),
        (2, "2 dni"),
        (5, "5 dni"),
        (11, "11 dni"),
        (21, "21 dni"),
        (-1, "-1 dzień"),
    ],
)
def test_days_pl_uses_dzien_only_for_one(n, expected):
    assert days_pl(n) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (StepState(Status.OVERDUE, 12), "po terminie 12 dni"),
        (StepState(Status.OVERDUE, 1), "po terminie 1 dzień"),
        (StepState(Status.DONE_LATE, 3), "zrobione z opóźnieniem 3 dni"),
        (StepState(Status.DUE, 5), "do zrobienia, termin za 5 dni"),
        (StepState(Status.DUE, 0), "do zrobienia, termin dziś"),
        (StepState(Status.ON_TIME, 20), "w toku, termin za 20 dni"),
        (StepState(Status.ON_TIME, 1), "w toku, termin za 1 dzień"),
        (StepState(Status.NOT_YET_DUE, 40), "jeszcze nie teraz (start za 40 dni)"),
        (StepState(Status.DONE, 0), "zrobione w terminie"),
    ],
)
def test_step_state_label_is_polish_text_with_the_number_of_days(state, expected):
    assert state.label == expected


def test_step_state_is_immutable():
    with pytest.raises(FrozenInstanceError):
        StepState(Status.DONE, 0).days = 3  # type: ignore[misc]


def test_every_status_has_a_label_a_colour_and_a_place_in_the_order():
    assert set(STATUS_LABELS) == set(Status)
    assert set(STATUS_COLORS) == set(Status)
    assert sorted(STATUS_ORDER) == sorted(Status)
    assert len(set(STATUS_COLORS.values())) == len(Status)
    assert STATUS_ORDER[0] is Status.OVERDUE
    assert STATUS_ORDER[-1] is Status.DONE


def test_statuses_are_plain_strings_for_the_warehouse_and_charts():
    assert Status.OVERDUE == "overdue"
    assert f"{Status.DONE_LATE}" == "done_late"


START, DUE = D(2026, 2, 1), D(2026, 2, 28)


@pytest.mark.parametrize(
    ("started", "completed", "today", "expected"),
    [
        (None, D(2026, 2, 20), D(2026, 4, 1), StepState(Status.DONE, 0)),
        (None, D(2026, 2, 28), D(2026, 4, 1), StepState(Status.DONE, 0)),
        (D(2026, 1, 5), D(2026, 1, 20), D(2026, 1, 25), StepState(Status.DONE, 0)),
        (D(2026, 2, 2), D(2026, 3, 3), D(2026, 4, 1), StepState(Status.DONE_LATE, 3)),
        (None, D(2026, 3, 1), D(2026, 3, 1), StepState(Status.DONE_LATE, 1)),
        (None, None, D(2026, 3, 12), StepState(Status.OVERDUE, 12)),
        (D(2026, 2, 3), None, D(2026, 3, 1), StepState(Status.OVERDUE, 1)),
        (None, None, D(2026, 2, 28), StepState(Status.DUE, 0)),
        (None, None, D(2026, 2, 1), StepState(Status.DUE, 27)),
        (D(2026, 2, 3), None, D(2026, 2, 8), StepState(Status.ON_TIME, 20)),
        (D(2026, 2, 3), None, D(2026, 2, 28), StepState(Status.ON_TIME, 0)),
        (None, None, D(2026, 1, 31), StepState(Status.NOT_YET_DUE, 1)),
        (D(2026, 1, 20), None, D(2026, 1, 22), StepState(Status.NOT_YET_DUE, 10)),
    ],
    ids=[
        "done before due",
        "done on the due day",
        "done before even planned to start",
        "done three days late",
        "done the day after due",
        "open twelve days past due",
        "started but not finished past due",
        "due today and not started",
        "first planned day and not started",
        "started and within the window",
        "started and due today",
        "day before the window",
        "started early, before the window",
    ],
)
def test_step_state_compares_completion_and_today_with_the_planned_window(
    started, completed, today, expected
):
    assert step_state(START, DUE, started, completed, today) == expected


def test_step_done_after_its_due_date_is_done_late_by_the_days_over():
    state = step_state(D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 5), D(2026, 2, 12), D(2026, 3, 1))
    assert state == StepState(Status.DONE_LATE, 12)
    assert state.label == "zrobione z opóźnieniem 12 dni"


def test_step_due_in_a_leap_february_counts_the_29th():
    assert step_state(D(2028, 2, 1), D(2028, 2, 29), None, None, D(2028, 3, 1)) == StepState(
        Status.OVERDUE, 1
    )


RECEIVED = D(2026, 3, 2)  # deadline for the first contact is 2026-03-09


@pytest.mark.parametrize(
    ("contacted", "today", "expected"),
    [
        (D(2026, 3, 3), D(2026, 3, 20), StepState(Status.DONE, 0)),
        (D(2026, 3, 9), D(2026, 3, 20), StepState(Status.DONE, 0)),
        (D(2026, 3, 10), D(2026, 3, 20), StepState(Status.DONE_LATE, 1)),
        (D(2026, 3, 30), D(2026, 4, 1), StepState(Status.DONE_LATE, 21)),
        (None, D(2026, 3, 2), StepState(Status.DUE, 7)),
        (None, D(2026, 3, 9), StepState(Status.DUE, 0)),
        (None, D(2026, 3, 10), StepState(Status.OVERDUE, 1)),
        (None, D(2026, 4, 8), StepState(Status.OVERDUE, 30)),
    ],
)
def test_first_contact_runs_a_seven_day_clock_from_the_notification(contacted, today, expected):
    assert first_contact_state(RECEIVED, contacted, today) == expected


def test_first_contact_clock_crosses_a_month_end():
    assert first_contact_state(D(2026, 2, 25), None, D(2026, 3, 4)) == StepState(Status.DUE, 0)
    assert first_contact_state(D(2028, 2, 25), None, D(2028, 3, 4)) == StepState(Status.OVERDUE, 1)


@pytest.mark.parametrize(
    ("signed", "received", "late"),
    [
        (D(2026, 5, 4), D(2026, 5, 4), 0),
        (D(2026, 5, 4), D(2026, 5, 11), 0),
        (D(2026, 5, 4), D(2026, 5, 12), 1),
        (D(2026, 5, 4), D(2026, 6, 3), 23),
        (D(2026, 2, 26), D(2026, 3, 6), 1),
        (D(2026, 5, 4), D(2026, 5, 1), 0),
    ],
)
def test_self_formed_cooperation_report_is_late_only_beyond_seven_days(signed, received, late):
    assert self_formed_report_late_days(signed, received) == late


@pytest.mark.parametrize(
    ("meeting", "notified", "short"),
    [
        (D(2026, 6, 15), D(2026, 6, 1), 0),
        (D(2026, 6, 15), D(2026, 6, 10), 0),
        (D(2026, 6, 15), D(2026, 6, 11), 1),
        (D(2026, 6, 15), D(2026, 6, 15), 5),
        (D(2026, 3, 2), D(2026, 2, 26), 1),
        (D(2026, 6, 15), None, None),
    ],
)
def test_ggk_meeting_notice_is_short_by_the_days_missing_from_five(meeting, notified, short):
    assert notice_short_days(meeting, notified) == short


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2026, 1, 31), D(2026, 3, 1), [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]),
        (D(2026, 5, 10), D(2026, 5, 20), [D(2026, 5, 1)]),
        (D(2026, 11, 15), D(2027, 1, 2), [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]),
        (D(2026, 5, 10), D(2026, 4, 10), []),
    ],
)
def test_month_starts_list_every_month_touched_by_the_range(first, last, expected):
    assert month_starts(first, last) == expected


PLAN_ON = D(2026, 1, 20)


@pytest.mark.parametrize(
    ("end_on", "reported", "today", "expected"),
    [
        (None, set(), D(2026, 1, 31), []),
        (None, set(), D(2026, 2, 1), [D(2026, 1, 1)]),
        (None, {D(2026, 1, 1)}, D(2026, 2, 1), []),
        (None, {D(2026, 1, 28)}, D(2026, 2, 1), []),
        (None, {D(2026, 2, 1)}, D(2026, 4, 15), [D(2026, 1, 1), D(2026, 3, 1)]),
        (None, set(), D(2026, 3, 31), [D(2026, 1, 1), D(2026, 2, 1)]),
        (D(2026, 2, 10), set(), D(2026, 6, 1), [D(2026, 1, 1), D(2026, 2, 1)]),
        (D(2026, 3, 10), set(), D(2026, 3, 20), [D(2026, 1, 1), D(2026, 2, 1)]),
        (None, set(), D(2026, 1, 25), []),
    ],
    ids=[
        "first month not ended yet",
        "first month ended the day before",
        "first month reported",
        "report dated any day of its month",
        "gap in the middle and at the end",
        "current month never expected",
        "nothing after the month the case ended",
        "month of the end expected only once ended",
        "before the first month ends",
    ],
)
def test_monthly_report_is_expected_for_every_ended_month_of_the_plan(end_on, reported, today, expected):
    assert missing_report_months(PLAN_ON, end_on, reported, today) == expected


def test_monthly_reports_on_a_plan_that_starts_in_the_future_are_not_missing():
    assert missing_report_months(D(2026, 9, 1), None, set(), D(2026, 4, 1)) == []


@pytest.mark.parametrize(
    ("last", "closed", "today", "overdue"),
    [
        (None, None, D(2026, 4, 10), 0),
        (None, None, D(2026, 4, 11), 1),
        (D(2026, 2, 1), None, D(2026, 5, 1), 0),
        (D(2026, 2, 1), None, D(2026, 5, 11), 10),
        (D(2025, 11, 30), None, D(2026, 3, 1), 1),
        (None, D(2026, 3, 1), D(2026, 9, 1), 0),
        (D(2026, 2, 1), D(2026, 12, 1), D(2027, 1, 1), 0),
    ],
    ids=[
        "exactly three months after the plan",
        "a day past three months after the plan",
        "exactly three months after the last meeting",
        "ten days past",
        "clamped to the end of February",
        "closed case without any meeting",
        "closed case long after",
    ],
)
def test_monitoring_meeting_is_due_three_months_after_the_previous_one(last, closed, today, overdue):
    assert monitoring_overdue_days(D(2026, 1, 10), last, closed, today) == overdue


@pytest.mark.parametrize(
    ("last", "today", "overdue"),
    [
        (D(2026, 3, 20), D(2026, 6, 20), 0),
        (D(2026, 3, 20), D(2026, 6, 30), 10),
        (None, D(2026, 4, 1), 0),
        (None, D(2026, 4, 15), 14),
        (D(2027, 11, 30), D(2028, 3, 1), 1),
    ],
)
def test_wzk_meets_at_least_quarterly(last, today, overdue):
    assert wzk_overdue_days(last, D(2026, 1, 1), today) == overdue


@pytest.mark.parametrize(
    ("has_overdue", "last_event", "today", "stalled"),
    [
        (True, D(2026, 1, 1), D(2026, 4, 1), True),
        (True, D(2026, 1, 2), D(2026, 4, 1), False),
        (False, D(2025, 1, 1), D(2026, 4, 1), False),
        (True, None, D(2026, 1, 1), True),
        (True, None, D(2025, 12, 1), False),
    ],
    ids=[
        "ninety quiet days",
        "eighty-nine quiet days",
        "quiet but nothing overdue",
        "no event ever, plan ninety-two days ago",
        "no event ever, plan recent",
    ],
)
def test_gmina_is_stalled_with_overdue_steps_and_ninety_quiet_days(has_overdue, last_event, today, stalled):
    assert is_stalled(has_overdue, last_event, D(2025, 10, 1), today) is stalled


@pytest.mark.parametrize(
    ("state", "soon"),
    [
        (StepState(Status.DUE, 0), True),
        (StepState(Status.DUE, 7), True),
        (StepState(Status.ON_TIME, 3), True),
        (StepState(Status.DUE, 8), False),
        (StepState(Status.OVERDUE, 1), False),
        (StepState(Status.NOT_YET_DUE, 2), False),
        (StepState(Status.DONE, 0), False),
    ],
)
def test_due_this_week_means_running_and_due_within_seven_days(state, soon):
    assert is_due_soon(state) is soon


def test_every_alert_rule_has_a_polish_label():
    assert set(RULE_LABELS) == {
        "step_overdue",
        "step_due",
        "first_contact",
        "self_formed_report",
        "ggk_notice",
        "monthly_report",
        "monitoring",
        "wzk_quarterly",
        "network_baseline",
        "network_endline",
    }
    assert RULE_LABELS["first_contact"] == "Kontakt ROPS w 7 dni"


def test_alert_is_an_immutable_record_of_one_broken_rule():
    alert = Alert("first_contact", "0201012", "Gmina X", D(2026, 3, 9), 3, "po terminie 3 dni")
    assert alert.rule in RULE_LABELS
    with pytest.raises(FrozenInstanceError):
        alert.days_over = 0  # type: ignore[misc]
