"""Streamlit's own English in our widgets: every select box and multiselect names its Polish
placeholder (else "Choose an option" / "Choose options"), every multiselect says whether it offers
"Select all" (English, so: no), every date input its dd.mm.rrrr format (else "YYYY/MM/DD"), every
grid its text for an empty cell (else "None").

The scan reads pages/ and kooperacja/ui/ as syntax trees, so a widget added anywhere is caught.
`widgets.persistent(st.selectbox, …)` adds them itself; a `**kwargs` call is taken on trust.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kooperacja.ui import widgets

ROOT = Path(__file__).resolve().parents[2]
NEEDED = {
    "selectbox": {"placeholder"},
    "multiselect": {"placeholder", "select_all"},
    "date_input": {"format"},
    "dataframe": {"placeholder"},  # else an empty cell reads "None"
}


def _missing() -> list[str]:
    found = []
    for path in sorted([*(ROOT / "pages").rglob("*.py"), *(ROOT / "kooperacja" / "ui").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            needed = NEEDED.get(node.func.attr)
            if needed is None or any(k.arg is None for k in node.keywords):
                continue
            lacking = needed - {k.arg for k in node.keywords}
            if lacking:
                where = path.relative_to(ROOT).as_posix()
                found.append(f"{where}:{node.lineno} {node.func.attr} without {', '.join(sorted(lacking))}")
    return found


def test_every_select_multiselect_and_date_input_has_its_polish_texts():
    assert _missing() == []


def test_the_shared_texts_are_polish():
    assert widgets.PICK == "Wybierz…"
    assert widgets.SELECT["placeholder"] == widgets.PICK and widgets.MULTI["select_all"] is False
    assert widgets.DATE["format"] == "DD.MM.YYYY"
