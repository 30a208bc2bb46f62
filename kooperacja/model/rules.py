"""Every dated rule of the cooperation model: deadlines, step statuses and alert codes."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

FIRST_CONTACT_DAYS = 7  # ROPS contacts the gmina within 7 days of a notification (001, 3.1)
SELF_FORMED_REPORT_DAYS = 7  # a self-formed cooperation is reported within 7 days of signing (001, 3.5)
GGK_NOTICE_DAYS = 5  # GGK/ZZK invitees are told at least 5 days before the meeting (001, 4.2)
MONITORING_EVERY_MONTHS = 3  # case monitoring meeting at least quarterly (001, 4.4)
WZK_EVERY_MONTHS = 3  # WZK and animators meet at least quarterly (K8)
DUE_SOON_DAYS = 7  # window of the "due this week" to-dos
STALLED_DAYS = 90  # overdue steps and no step event for this long: the gmina is stalled
STEP_EVENT_LEAD_DAYS = 31  # a step event is dated at most this long before the gmina's plan starts


def earliest_step_event(joined_on: date, plan_start: date) -> date:
    """The first day a gmina's step event may carry: not before it joined the pilot (or its plan start,
    when that is earlier) and not more than STEP_EVENT_LEAD_DAYS before its plan starts.

    The form, the import and `python -m kooperacja check` all use this one rule.

    >>> earliest_step_event(date(2026, 1, 10), date(2026, 2, 1))
    datetime.date(2026, 1, 10)
    >>> earliest_step_event(date(2025, 6, 1), date(2026, 2, 1))
    datetime.date(2026, 1, 1)
    """
    return max(min(joined_on, plan_start), plan_start - timedelta(days=STEP_EVENT_LEAD_DAYS))


def add_months(d: date, months: int) -> date:
    """Move by calendar months, clamping the day to the end of a shorter month.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2028, 1, 31), 1)
    datetime.date(2028, 2, 29)
    >>> add_months(date(2026, 3, 15), -3)
    datetime.date(2025, 12, 15)
    """
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def planned_window(
    plan_start: date, start_month: int, end_month: int, shift_days: int = 0
) -> tuple[date, date]:
    """First and last day of harmonogram months start_month..end_month; month 1 starts on plan_start.

    >>> planned_window(date(2026, 1, 1), 2, 2)
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    >>> planned_window(date(2026, 1, 1), 7, 21, shift_days=10)
    (datetime.date(2026, 7, 11), datetime.date(2027, 10, 10))
    """
    if start_month < 1 or end_month < start_month:
        raise ValueError(f"Niepoprawne miesiące harmonogramu: {start_month}–{end_month}")
    shift = timedelta(days=shift_days)
    start = add_months(plan_start, start_month - 1)
    end = add_months(plan_start, end_month) - timedelta(days=1)
    return start + shift, end + shift


def recurring_months(start_month: int, end_month: int, every_months: int | None) -> list[int]:
    """Months in which a recurring step happens (K8: every 3 months from 6 to 18).

    >>> recurring_months(6, 18, 3)
    [6, 9, 12, 15, 18]
    >>> recurring_months(7, 21, None)
    [7]
    """
    if not every_months:
        return [start_month]
    if every_months < 0:
        raise ValueError(f"Niepoprawny odstęp między powtórzeniami: {every_months}")
    return list(range(start_month, end_month + 1, every_months))


class Status(StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    ON_TIME = "on_time"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"


STATUS_LABELS: dict[Status, str] = {
    Status.DONE: "zrobione",
    Status.DONE_LATE: "zrobione z opóźnieniem",
    Status.ON_TIME: "w toku, w terminie",
    Status.DUE: "do zrobienia",
    Status.OVERDUE: "po terminie",
    Status.NOT_YET_DUE: "jeszcze nie teraz",
}

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
STATUS_COLORS: dict[Status, str] = {
    Status.DONE: "#009E73",  # bluish green
    Status.DONE_LATE: "#E69F00",  # orange
    Status.ON_TIME: "#0072B2",  # blue
    Status.DUE: "#F0E442",  # yellow
    Status.OVERDUE: "#D55E00",  # vermillion
    Status.NOT_YET_DUE: "#BBBBBB",  # grey
}

STATUS_ORDER: list[Status] = [
    Status.OVERDUE,
    Status.DUE,
    Status.DONE_LATE,
    Status.ON_TIME,
    Status.NOT_YET_DUE,
    Status.DONE,
]


def days_pl(n: int) -> str:
    """The number with the right Polish form of "dzień".

    >>> days_pl(1), days_pl(2), days_pl(5), days_pl(21)
    ('1 dzień', '2 dni', '5 dni', '21 dni')
    """
    return f"{n} {'dzień' if abs(n) == 1 else 'dni'}"


def _term(days: int) -> str:
    return "termin dziś" if days == 0 else f"termin za {days_pl(days)}"


@dataclass(frozen=True)
class StepState:
    """Status of a step or deadline; `days` is late days, days left, or days until start."""

    status: Status
    days: int

    @property
    def label(self) -> str:
        """Polish text with the number of days.

        >>> StepState(Status.OVERDUE, 12).label
        'po terminie 12 dni'
        >>> StepState(Status.DUE, 1).label
        'do zrobienia, termin za 1 dzień'
        """
        match self.status:
            case Status.DONE:
                return "zrobione w terminie"
            case Status.DONE_LATE:
                return f"zrobione z opóźnieniem {days_pl(self.days)}"
            case Status.OVERDUE:
                return f"po terminie {days_pl(self.days)}"
            case Status.DUE:
                return f"do zrobienia, {_term(self.days)}"
            case Status.ON_TIME:
                return f"w toku, {_term(self.days)}"
            case _:
                return f"jeszcze nie teraz (start za {days_pl(self.days)})"


def step_state(
    planned_start: date,
    planned_due: date,
    started_on: date | None,
    completed_on: date | None,
    today: date,
) -> StepState:
    """Status of one harmonogram step; completing on the due day itself is on time.

    >>> step_state(date(2026, 2, 1), date(2026, 2, 28), None, date(2026, 3, 3), date(2026, 4, 1))
    StepState(status=<Status.DONE_LATE: 'done_late'>, days=3)
    >>> step_state(date(2026, 2, 1), date(2026, 2, 28), None, None, date(2026, 3, 12))
    StepState(status=<Status.OVERDUE: 'overdue'>, days=12)
    >>> step_state(date(2026, 2, 1), date(2026, 2, 28), None, None, date(2026, 2, 23))
    StepState(status=<Status.DUE: 'due'>, days=5)
    >>> step_state(date(2026, 2, 1), date(2026, 2, 28), None, None, date(2026, 1, 1))
    StepState(status=<Status.NOT_YET_DUE: 'not_yet_due'>, days=31)
    """
    if completed_on is not None:
        late = (completed_on - planned_due).days
        return StepState(Status.DONE_LATE, late) if late > 0 else StepState(Status.DONE, 0)
    if today > planned_due:
        return StepState(Status.OVERDUE, (today - planned_due).days)
    if today >= planned_start:
        status = Status.ON_TIME if started_on is not None else Status.DUE
        return StepState(status, (planned_due - today).days)
    return StepState(Status.NOT_YET_DUE, (planned_start - today).days)


# step_state for the warehouse, to rate every sub-step of the country in one query. The
# placeholders name SQL columns; $today is a query parameter. tests/unit/test_rules_sql.py proves
# both forms agree on a grid of dates.
STEP_STATUS_SQL = """CASE
    WHEN {completed} IS NOT NULL THEN CASE WHEN {completed} > {due} THEN 'done_late' ELSE 'done' END
    WHEN $today > {due} THEN 'overdue'
    WHEN $today >= {start} THEN CASE WHEN {started} IS NOT NULL THEN 'on_time' ELSE 'due' END
    ELSE 'not_yet_due' END"""
STEP_DAYS_SQL = """CASE
    WHEN {completed} IS NOT NULL THEN greatest(date_diff('day', {due}, {completed}), 0)
    WHEN $today > {due} THEN date_diff('day', {due}, $today)
    WHEN $today >= {start} THEN date_diff('day', $today, {due})
    ELSE date_diff('day', $today, {start}) END"""
# planned_window for the warehouse: month m of a plan starts m-1 calendar months after its start.
WINDOW_START_SQL = "(({plan_start} + to_months({start_month} - 1))::DATE + {shift})"
WINDOW_DUE_SQL = "(({plan_start} + to_months({end_month}))::DATE - 1 + {shift})"


def first_contact_deadline(received_on: date) -> date:
    """The last day for ROPS's first contact with the gmina after a notification (zgłoszenie).

    >>> first_contact_deadline(date(2026, 3, 2))
    datetime.date(2026, 3, 9)
    """
    return received_on + timedelta(days=FIRST_CONTACT_DAYS)


def first_contact_deadline_sql(received: str) -> str:
    """first_contact_deadline for the warehouse (`received`: an SQL date expression).

    Built on each call, from FIRST_CONTACT_DAYS as it is then; tests/unit/test_rules_sql.py proves
    both forms agree.
    """
    return f"(({received})::DATE + {int(FIRST_CONTACT_DAYS)})"


def first_contact_state(received_on: date, first_contact_on: date | None, today: date) -> StepState:
    """The 7-day clock from a notification (zgłoszenie) to ROPS's first contact with the gmina.

    >>> first_contact_state(date(2026, 3, 2), date(2026, 3, 9), date(2026, 4, 1)).status
    <Status.DONE: 'done'>
    >>> first_contact_state(date(2026, 3, 2), None, date(2026, 3, 12)).label
    'po terminie 3 dni'
    >>> first_contact_state(date(2026, 3, 2), None, date(2026, 3, 4)).label
    'do zrobienia, termin za 5 dni'
    """
    deadline = first_contact_deadline(received_on)
    if first_contact_on is not None:
        late = (first_contact_on - deadline).days
        return StepState(Status.DONE_LATE, late) if late > 0 else StepState(Status.DONE, 0)
    if today > deadline:
        return StepState(Status.OVERDUE, (today - deadline).days)
    return StepState(Status.DUE, (deadline - today).days)


def self_formed_report_deadline(signed_on: date) -> date:
    """The last day for reporting a self-formed cooperation to ROPS.

    >>> self_formed_report_deadline(date(2026, 5, 4))
    datetime.date(2026, 5, 11)
    """
    return signed_on + timedelta(days=SELF_FORMED_REPORT_DAYS)


def self_formed_report_deadline_sql(signed: str) -> str:
    """self_formed_report_deadline for the warehouse (`signed`: an SQL date expression), built on each call.

    tests/unit/test_rules_sql.py proves both forms agree.
    """
    return f"(({signed})::DATE + {int(SELF_FORMED_REPORT_DAYS)})"


def self_formed_report_late_days(signed_on: date, received_on: date) -> int:
    """Days beyond the 7 allowed between signing a self-formed cooperation and ROPS receiving it.

    >>> self_formed_report_late_days(date(2026, 5, 4), date(2026, 5, 11))
    0
    >>> self_formed_report_late_days(date(2026, 5, 4), date(2026, 5, 14))
    3
    """
    return max(0, (received_on - self_formed_report_deadline(signed_on)).days)


def notice_deadline(meeting_on: date) -> date:
    """The last day to tell a GGK/ZZK invitee about the meeting.

    >>> notice_deadline(date(2026, 6, 15))
    datetime.date(2026, 6, 10)
    """
    return meeting_on - timedelta(days=GGK_NOTICE_DAYS)


def notice_short_days(meeting_on: date, notified_on: date | None) -> int | None:
    """Days short of the 5-day notice before a GGK/ZZK meeting: 0 is fine, None is "never notified".

    >>> notice_short_days(date(2026, 6, 15), date(2026, 6, 10))
    0
    >>> notice_short_days(date(2026, 6, 15), date(2026, 6, 13))
    3
    >>> notice_short_days(date(2026, 6, 15), None) is None
    True
    """
    if notified_on is None:
        return None
    return max(0, GGK_NOTICE_DAYS - (meeting_on - notified_on).days)


# notice_short_days for the warehouse ({meeting}, {notified}: SQL columns); NULL = never notified.
NOTICE_SHORT_SQL = (
    f"CASE WHEN {{notified}} IS NULL THEN NULL "
    f"ELSE greatest(0, {GGK_NOTICE_DAYS} - date_diff('day', {{notified}}, {{meeting}})) END"
)


def is_pzk_member(signed_on: date, left_on: date | None, on: date) -> bool:
    """Whether a membership counts in the gmina's PZK on day `on`: from signing to the day before leaving.

    >>> d = date(2026, 3, 1)
    >>> is_pzk_member(d, None, d), is_pzk_member(d, date(2026, 4, 1), date(2026, 4, 1))
    (True, False)
    >>> is_pzk_member(d, None, date(2026, 2, 28))
    False
    """
    return signed_on <= on and (left_on is None or left_on > on)


# is_pzk_member for the warehouse: {m} is the pzk_member alias, {on} an SQL date (e.g. $today).
PZK_MEMBER_SQL = "({m}.signed_on <= {on} AND ({m}.left_on IS NULL OR {m}.left_on > {on}))"


def _month_start(d: date) -> date:
    return d.replace(day=1)


def month_starts(first: date, last: date) -> list[date]:
    """First days of every calendar month touched by [first, last]; empty when last < first.

    >>> month_starts(date(2026, 1, 31), date(2026, 3, 1))
    [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    """
    months: list[date] = []
    current, end = _month_start(first), _month_start(last)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def missing_report_months(
    plan_on: date, end_on: date | None, reported_months: set[date], today: date
) -> list[date]:
    """Ended months since the plan without a monthly progress report (each as its first day).

    A month is expected only once it has ended, and not after the month in which the case
    or task ended. Reported dates may be any day of their month.

    >>> missing_report_months(date(2026, 1, 20), None, {date(2026, 2, 1)}, date(2026, 4, 15))
    [datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)]
    >>> missing_report_months(date(2026, 1, 20), date(2026, 2, 10), set(), date(2026, 6, 1))
    [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    """
    last = _month_start(today) - timedelta(days=1)  # last day of the last fully ended month
    if end_on is not None:
        last = min(last, end_on)
    reported = {_month_start(d) for d in reported_months}
    return [m for m in month_starts(plan_on, last) if m not in reported] if last >= plan_on else []


def _quarterly_overdue_days(last_on: date, every_months: int, today: date) -> int:
    return max(0, (today - add_months(last_on, every_months)).days)


# _quarterly_overdue_days for the warehouse: days past {last} + {every} months ($today a parameter).
QUARTERLY_OVERDUE_SQL = "greatest(0, date_diff('day', ({last} + to_months({every}))::DATE, $today))"


def monitoring_overdue_days(
    plan_on: date, last_monitoring_on: date | None, closed_on: date | None, today: date
) -> int:
    """Days past the quarterly monitoring meeting of a case (counted from the plan when none yet).

    >>> monitoring_overdue_days(date(2026, 1, 10), None, None, date(2026, 4, 10))
    0
    >>> monitoring_overdue_days(date(2026, 1, 10), date(2026, 2, 1), None, date(2026, 5, 11))
    10
    >>> monitoring_overdue_days(date(2026, 1, 10), None, date(2026, 3, 1), date(2026, 9, 1))
    0
    """
    if closed_on is not None:
        return 0
    return _quarterly_overdue_days(last_monitoring_on or plan_on, MONITORING_EVERY_MONTHS, today)


def wzk_overdue_days(last_meeting_on: date | None, programme_start: date, today: date) -> int:
    """Days past the quarterly WZK meeting (counted from the programme start when none yet).

    >>> wzk_overdue_days(date(2026, 3, 20), date(2026, 1, 1), date(2026, 6, 20))
    0
    >>> wzk_overdue_days(None, date(2026, 1, 1), date(2026, 4, 15))
    14
    """
    return _quarterly_overdue_days(last_meeting_on or programme_start, WZK_EVERY_MONTHS, today)


def is_stalled(has_overdue: bool, last_event_on: date | None, plan_start: date, today: date) -> bool:
    """A gmina with overdue steps and no step event for 90 days or more (since the plan when none).

    >>> is_stalled(True, date(2026, 1, 1), date(2025, 10, 1), date(2026, 4, 1))
    True
    >>> is_stalled(True, date(2026, 1, 2), date(2025, 10, 1), date(2026, 4, 1))
    False
    >>> is_stalled(False, None, date(2025, 1, 1), date(2026, 4, 1))
    False
    """
    quiet_since = last_event_on or plan_start
    return has_overdue and (today - quiet_since).days >= STALLED_DAYS


def is_due_soon(state: StepState) -> bool:
    """A running step whose due date falls within the "due this week" window.

    >>> is_due_soon(StepState(Status.DUE, 7)), is_due_soon(StepState(Status.ON_TIME, 8))
    (True, False)
    """
    return state.status in (Status.DUE, Status.ON_TIME) and state.days <= DUE_SOON_DAYS


@dataclass(frozen=True)
class Alert:
    """One broken or approaching dated rule, ready for the to-do list; `rule` is a RULE_LABELS key."""

    rule: str
    terc: str | None
    subject: str
    due_on: date
    days_over: int
    message: str


def first_contact_label() -> str:
    """ "Kontakt ROPS w 7 dni": the first-contact rule in words, from FIRST_CONTACT_DAYS."""
    return f"Kontakt ROPS w {days_pl(FIRST_CONTACT_DAYS)}"


def notice_label() -> str:
    """ "Powiadomienie o spotkaniu 5 dni wcześniej", from GGK_NOTICE_DAYS."""
    return f"Powiadomienie o spotkaniu {days_pl(GGK_NOTICE_DAYS)} wcześniej"


def _rule_labels() -> dict[str, str]:
    return {
        "step_overdue": "Krok po terminie",
        "step_due": "Krok do zrobienia w tym tygodniu",
        "first_contact": first_contact_label(),
        "self_formed_report": f"Zgłoszenie samodzielnej współpracy w {days_pl(SELF_FORMED_REPORT_DAYS)}",
        "ggk_notice": notice_label(),
        "monthly_report": "Brak sprawozdania miesięcznego",
        "monitoring": "Spotkanie monitorujące co kwartał",
        "wzk_quarterly": "Spotkanie WZK co kwartał",
        "network_baseline": "Brak badania współpracy na etapie diagnozy",
        "network_endline": "Brak badania końcowego współpracy",
    }


# The rules whose breach, once past, is kept as a recorded breach (the to-do list drops it):
# a meeting held without the notice, a cooperation reported late, a first contact made late.
def _breach_labels() -> dict[str, str]:
    return {
        "ggk_notice": f"Spotkanie GGK/ZZK bez powiadomienia {days_pl(GGK_NOTICE_DAYS)} wcześniej",
        "self_formed_report": "Samodzielną współpracę zgłoszono później niż w "
        + days_pl(SELF_FORMED_REPORT_DAYS),
        "first_contact": f"Kontakt ROPS później niż w {days_pl(FIRST_CONTACT_DAYS)}",
    }


class _Labels(Mapping[str, str]):
    """A read-only mapping built on each use, so that the labels follow the rule constants."""

    def __init__(self, build: Callable[[], dict[str, str]]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> str:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


# Alert code → Polish label; the day counts come from the constants above.
RULE_LABELS: Mapping[str, str] = _Labels(_rule_labels)
# Rule code → the Polish name of its recorded breach (the Alerty page's tab, the effects report).
BREACH_LABELS: Mapping[str, str] = _Labels(_breach_labels)


# The cooperation survey (issue 17): the baseline (diagnoza) is due by K5, the endline (ewaluacja) by K9.
SURVEY_STEPS = {"network_baseline": ("diagnoza", "K5"), "network_endline": ("ewaluacja", "K9")}


def survey_due_on(reached_on: date | None, planned_start: date | None) -> date | None:
    """When a gmina's survey of a stage is due: the day it reached the step (its first event there) or
    the step's planned start, whichever comes first; None when neither is known.

    >>> survey_due_on(date(2026, 3, 2), date(2026, 4, 1)), survey_due_on(None, date(2026, 4, 1))
    (datetime.date(2026, 3, 2), datetime.date(2026, 4, 1))
    """
    known = [d for d in (reached_on, planned_start) if d is not None]
    return min(known) if known else None


def survey_overdue_days(
    reached_on: date | None, planned_start: date | None, held: bool, today: date
) -> int | None:
    """Days a missing cooperation survey is past its due day (0: due today); None when it was held or
    is not due yet — only then is there an alert.

    >>> survey_overdue_days(None, date(2026, 4, 1), False, date(2026, 4, 11))
    10
    >>> survey_overdue_days(date(2026, 3, 2), None, True, date(2026, 4, 11)) is None
    True
    """
    due = survey_due_on(reached_on, planned_start)
    if held or due is None or due > today:
        return None
    return (today - due).days
