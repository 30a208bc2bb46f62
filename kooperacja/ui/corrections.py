"""Corrections on the record lists: pick a saved record, "Popraw" or "Wycofaj" it in a dialog.

The dialog that is open lives in the session (which record, which action, and the row version the
user saw when opening it), so it survives the reruns its widgets cause; closing it (the cross, Esc)
forgets it. A save closes the dialog and the page says what was saved, next to the list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import streamlit as st

from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import fmt_date
from kooperacja.ui import saving, widgets
from kooperacja.ui.text import plain

_OPEN = "_kooperacja_correction"  # session key: {"dialog", "key", "version"} of the open dialog
REASON = "Powód poprawki"
WITHDRAW_NOTE = (
    "Wycofany wpis znika z list i wyliczeń; historia zmian zachowuje go w całości, z powodem, "
    "datą i tym, kto go wycofał."
)


def close() -> None:
    st.session_state.pop(_OPEN, None)


def open_(dialog: str, key: Any, version: int | None) -> None:
    st.session_state[_OPEN] = {"dialog": dialog, "key": key, "version": version}


def opened(dialog: str) -> dict[str, Any] | None:
    """The open dialog's record key and version, if `dialog` is the one open."""
    found = st.session_state.get(_OPEN)
    return found if found and found["dialog"] == dialog else None


def picker(
    name: str,
    label: str,
    choices: Mapping[Any, str],
    versions: Mapping[Any, int],
    actions: Mapping[str, str],
    other_versions: Mapping[str, Mapping[Any, int]] | None = None,
) -> None:
    """A select of the list's records and one button per action (dialog name → button label).

    `name` keys the widgets and the list's message; each dialog is `f"{name}/{action}"`. The dialog
    keeps the record's version as read now (`other_versions[action]`: an action on another record,
    e.g. the institution of a membership).
    """
    said(name)
    if not choices:
        return
    chosen = st.selectbox(
        label,
        list(choices),
        format_func=lambda k: plain(choices[k]),
        key=f"fix_{name}_pick",
        placeholder=widgets.PICK,
    )
    columns = st.columns(len(actions))
    for column, (action, text) in zip(columns, actions.items(), strict=True):
        if column.button(text, key=f"fix_{name}_{action}", disabled=chosen is None):
            seen = (other_versions or {}).get(action, versions)
            open_(f"{name}/{action}", chosen, seen.get(chosen))


def run(name: str, action: Callable[[], Any], message: str) -> None:
    """Run a correction (`saving.attempt`): a refusal stays in the dialog (what was typed too), a success
    closes it and the page says it next to the list."""
    saving.attempt(f"fix/{name}", action, message, before=close)


def said(name: str) -> None:
    """Next to the list: what its last correction saved (the corrections are forms of their own)."""
    saving.said(f"fix/{name}")


def reason(key: str) -> str:
    return saving.reason_input(key, REASON, area=True)


def day(label: str, key: str, value: date | None) -> date | None:
    """A date field of a correction, starting at the saved value."""
    return st.date_input(label, value=value, key=key, **widgets.DATE)


def required(value: date | None, label: str) -> date:
    """A date the correction needs (a cleared field is refused as the record would refuse it)."""
    if value is None:
        raise InvalidInput([f"{label}: pole wymagane"])
    return value


def when(value: Any) -> str:
    return fmt_date(value) if value is not None else "—"
