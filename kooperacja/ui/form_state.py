"""Forms that start empty after a successful save: per-round widget keys and the saved message.

Streamlit keeps a keyed widget's value across runs, in the server's session and in the browser, so a
form once saved still showed its note, and the next entry took it along. Removing the keys is not
enough: the browser sends its copy back. Each form's widgets are keyed by the form's round instead;
a save opens the next round, whose widgets are new ones with their defaults, and says what was saved.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kooperacja.ui import versions

_ROUND = "_kooperacja_form_round"  # session key: {form: round}, 0 until the form's first save
_SAVED = "_kooperacja_form_saved"  # session key: {form: (message, repeated)} for the next run


def keys(form: str) -> Callable[[str], str]:
    """The widget keys of the form's current round: the plain key in round 0 (before any save)."""
    round_ = st.session_state.get(_ROUND, {}).get(form, 0)
    return lambda name: name if round_ == 0 else f"{name}__{round_}"


def saved(form: str, message: str) -> None:
    """After a successful save: the next run draws the form empty and shows `message` under it.

    `form` is also the name of the form's `versions.form_token` (if it has one): a click on the fresh
    form left untouched then writes nothing and tells the user so (`versions.REPEATED`).
    """
    repeated = versions.saved(form)
    versions.reset(form)
    st.session_state.setdefault(_SAVED, {})[form] = (message, repeated)
    rounds = st.session_state.setdefault(_ROUND, {})
    rounds[form] = rounds.get(form, 0) + 1
    st.rerun()


def said(form: str) -> None:
    """Where the form's save button is: what its last save wrote (once, on the run after it)."""
    found = st.session_state.get(_SAVED, {}).pop(form, None)
    if found is None:
        return
    message, repeated = found
    st.success(message, icon=":material/check_circle:")
    if repeated:
        st.info(versions.REPEATED)
