"""Finding a form's widget by its key in whatever round the form is (`kooperacja.ui.saving.keys`).

A save opens the form's next round: its widgets are new ones, keyed `name__1`, `name__2`… so that the
browser cannot send the last entry back. A test that saves twice finds the widget by its plain name.
"""

from __future__ import annotations

import re
from typing import Any


def keyed(elements: Any, name: str) -> Any:
    """The widget keyed `name` in the form's current round (`name`, `name__1`, …)."""
    pattern = re.compile(re.escape(name) + r"(__\d+)?")
    found = [e for e in elements if pattern.fullmatch(str(getattr(e, "key", None)))]
    assert len(found) == 1, [getattr(e, "key", None) for e in elements]
    return found[0]
