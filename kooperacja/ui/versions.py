"""The row versions a user's form was loaded with, so that a save over someone else's change is refused.

A form's submit is a new script run that reads the records again; the version that counts is the one
on the screen the user filled in, i.e. the one read on the previous run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

_SEEN = "_kooperacja_loaded_versions"  # session key: {kind: {record key: row_version}}


def loaded(kind: str, current: Mapping[Any, Any]) -> dict[Any, int]:
    """The versions the user saw (last run's), remembering this run's for the next one.

    Example: the table showed recommendation 7 at version 1; meanwhile someone saved it (version 2);
    on the submit run `loaded("recommendation", {7: 2})` returns {7: 1}, and the save is refused.
    """
    seen = st.session_state.setdefault(_SEEN, {})
    before = seen.get(kind, {})
    now = {k: int(v) for k, v in current.items() if v is not None}
    seen[kind] = now
    return {**now, **{k: v for k, v in before.items() if k in now}}


def forget(kind: str) -> None:
    """After the user's own save: the next run starts from what is stored then."""
    st.session_state.get(_SEEN, {}).pop(kind, None)
