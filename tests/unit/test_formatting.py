"""Polish presentation: dates, numbers, day counts and display tables."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from kooperacja.model import formatting
from kooperacja.model.formatting import NBSP, fmt_date, fmt_days, fmt_number, status_label, to_display


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 5), "05.03.2026"),
        (datetime(2026, 12, 31, 15, 30), "31.12.2026"),
        (pd.Timestamp("2026-01-09"), "09.01.2026"),
        (None, ""),
        (pd.NaT, ""),
    ],
)
def test_dates_read_dd_mm_rrrr(value, expected):
    assert fmt_date(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12345.6, 1, f"12{NBSP}345,6"),
        (1234567, 0, f"1{NBSP}234{NBSP}567"),
        (999, 0, "999"),
        (-1234.5, 2, f"-1{NBSP}234,50"),
        (0.5, 1, "0,5"),
        (None, 0, ""),
        (float("nan"), 1, ""),
    ],
)
def test_numbers_use_a_space_between_thousands_and_a_decimal_comma(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1 dzień"), (2, "2 dni"), (5, "5 dni"), (22, "22 dni")])
def test_days_take_the_polish_plural(n, expected):
    assert fmt_days(n) == expected


def test_status_codes_read_as_polish_words():
    assert status_label("overdue") == "po terminie"
    assert status_label("done") == "zrobione"


def test_display_table_has_polish_headers_and_labels_but_keeps_dates():
    df = pd.DataFrame(
        {
            "name": ["Lipowiec"],
            "variant": ["rural"],
            "sector": ["zdrowie"],
            "status": ["overdue"],
            "due_on": [date(2026, 5, 1)],
            "unknown_col": [1],
        }
    )
    out = to_display(df)
    assert list(out.columns) == ["Gmina", "Wariant modelu", "Sektor", "Status", "Termin", "unknown_col"]
    row = out.iloc[0]
    assert row["Wariant modelu"] == "wiejski (K1–K10)"
    assert row["Sektor"] == "ochrona zdrowia"
    assert row["Status"] == "po terminie"
    assert row["Termin"] == date(2026, 5, 1)


def test_display_table_picks_columns_in_order_and_leaves_missing_codes_empty():
    df = pd.DataFrame({"sector": [None, "kosmos"], "name": ["A", "B"]})
    out = to_display(df, ["name", "sector"])
    assert list(out.columns) == ["Gmina", "Sektor"]
    assert pd.isna(out["Sektor"].iloc[0])
    assert out["Sektor"].iloc[1] == "kosmos"  # an unknown code stays readable


def test_date_columns_are_found_in_datetime_and_object_columns():
    df = pd.DataFrame({"a": pd.to_datetime(["2026-01-01"]), "b": [date(2026, 1, 2)], "c": ["x"], "d": [None]})
    assert formatting.date_columns(df) == ["a", "b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (pd.NaT, ""),
        (date(2026, 1, 2), "02.01.2026"),
        (pd.Timestamp("2026-01-02"), "02.01.2026"),
        (True, "tak"),
        (12345, f"12{NBSP}345"),
        (3.0, "3"),
        (2.25, "2,2"),
        ("Lipowiec", "Lipowiec"),
    ],
)
def test_table_cells_read_in_polish(value, expected):
    assert formatting.cell_text(value) == expected


def test_a_column_mixing_counts_and_suppressed_text_is_shown_as_text():
    import pandas as pd

    from kooperacja.model.formatting import to_display

    shown = to_display(pd.DataFrame({"cases": [12, "<5", 0, None]}))
    assert shown.iloc[:, 0].tolist() == ["12", "<5", "0", ""]
