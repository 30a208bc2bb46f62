"""One home per rule: each rule is written once and its readers ask it (architecture issue, item 3).

The scans read the source tree (kooperacja/ and pages/) as syntax trees, so a docstring or a
comment may still talk about "<5" or "7 dni"; a string or a comparison the user sees may not.
"""

from __future__ import annotations

import ast
import doctest
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kooperacja.model import access, disclosure
from kooperacja.model.access import Actor

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "kooperacja", ROOT / "pages", ROOT / "app.py"]


def _files() -> Iterator[Path]:
    for place in SOURCES:
        yield from ([place] if place.is_file() else sorted(place.rglob("*.py")))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """String constants that are not docstrings; the parts of an f-string count one by one."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


def _parsed() -> Iterator[tuple[str, ast.AST]]:
    for path in _files():
        yield _rel(path), ast.parse(path.read_text(encoding="utf-8"))


# --- 1. the small-count disclosure rule -------------------------------------------------------


def test_the_disclosure_threshold_is_written_only_in_disclosure_py():
    found = []
    for name, tree in _parsed():
        if name == "kooperacja/model/disclosure.py":
            continue
        for node in _strings(tree):
            if "<5" in node.value or "niż 5" in node.value or "od 1 do 4" in node.value:
                found.append(f"{name}:{node.lineno} {node.value!r}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(
                isinstance(v, ast.Constant) and v.value == disclosure.THRESHOLD
                for v in [node.left, *node.comparators]
            ):
                if name.startswith("kooperacja/demo/"):
                    continue  # the demo's own arithmetic (slot == 5), not a count shown to anybody
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_no_copy_of_the_disclosure_helpers_is_left():
    copies = ("suppress_small", "SMALL_COUNT", "SMALL_LIMIT", "SMALL_LABEL", "_small")
    found = [
        f"{name}:{node.lineno} {getattr(node, 'name', None) or getattr(node, 'id', '')}"
        for name, tree in _parsed()
        for node in ast.walk(tree)
        if (isinstance(node, ast.FunctionDef) and node.name in copies)
        or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in (*copies, "SMALL"))
    ]
    assert found == []


def test_one_suppression_for_a_count_a_sentence_and_a_frame():
    assert [disclosure.suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert disclosure.suppress(3, hidden=False) == 3
    assert disclosure.suppress_text(3) == "<5" and disclosure.suppress_text(3, hidden=False) == "3"
    frame = disclosure.suppress_frame(pd.DataFrame({"n": [0, 3, 7], "x": [1, 2, 3]}), ["n"])
    assert frame.n.tolist() == [0, "<5", 7] and frame.x.tolist() == [1, 2, 3]
    blanked = disclosure.blank_where_small(pd.DataFrame({"n": [3, 9], "median": [4.0, 6.0]}), ["median"], "n")
    assert blanked["median"].tolist() == [None, 6.0]
    assert f"<{disclosure.THRESHOLD}" == disclosure.LABEL


def test_who_sees_small_counts_is_access_and_how_is_disclosure():
    assert [disclosure.hides(Actor("u", role)) for role in ("admin", "animator", "wzk", "zarzad")] == [
        False,
        False,
        True,
        True,
    ]


def test_the_disclosure_doctests_hold():
    assert doctest.testmod(disclosure).failed == 0


# --- 2. the dated rules: the day counts live in model/rules.py ---------------------------------

DAY_COUNT = re.compile(r"\b\d+\s*(dni|dzień|dnia)\b|\bw \d+\b")
DAY_COUNT_ALLOWED = {
    # a data-quality check's own tolerance, not a rule of the cooperation model
    ("kooperacja/warehouse/check.py", "zdarzenia kroków datowane ponad 31 dni przed startem planu gminy"),
}


def test_no_ui_string_spells_a_day_count_of_a_rule():
    found = [
        f"{name}:{node.lineno} {node.value!r}"
        for name, tree in _parsed()
        if name != "kooperacja/model/rules.py" and not name.startswith("kooperacja/demo/")
        for node in _strings(tree)
        if DAY_COUNT.search(node.value) and (name, node.value) not in DAY_COUNT_ALLOWED
    ]
    assert found == []


def test_the_rule_labels_are_built_from_the_rule_constants(monkeypatch):
    from kooperacja.model import rules

    assert rules.RULE_LABELS["first_contact"] == f"Kontakt ROPS w {rules.FIRST_CONTACT_DAYS} dni"
    monkeypatch.setattr(rules, "FIRST_CONTACT_DAYS", 3)
    monkeypatch.setattr(rules, "GGK_NOTICE_DAYS", 2)
    monkeypatch.setattr(rules, "SELF_FORMED_REPORT_DAYS", 14)
    assert rules.RULE_LABELS["first_contact"] == "Kontakt ROPS w 3 dni"
    assert rules.RULE_LABELS["ggk_notice"] == "Powiadomienie o spotkaniu 2 dni wcześniej"
    assert rules.RULE_LABELS["self_formed_report"] == "Zgłoszenie samodzielnej współpracy w 14 dni"
    assert rules.first_contact_deadline(date(2026, 3, 2)) == date(2026, 3, 5)
    assert rules.first_contact_state(date(2026, 3, 2), None, date(2026, 3, 6)).label == "po terminie 1 dzień"
    assert rules.notice_deadline(date(2026, 6, 15)) == date(2026, 6, 13)
    assert rules.self_formed_report_late_days(date(2026, 5, 4), date(2026, 5, 20)) == 2


def test_the_deadlines_are_computed_only_by_their_rule():
    """No reader adds a rule's day count to a date itself: they call rules.*_deadline."""
    constants = {"FIRST_CONTACT_DAYS", "SELF_FORMED_REPORT_DAYS", "GGK_NOTICE_DAYS"}
    found = [
        f"{name}:{node.lineno} {ast.unparse(node)}"
        for name, tree in _parsed()
        if name != "kooperacja/model/rules.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "timedelta"
        and any(
            (isinstance(n, ast.Name) and n.id in constants)
            or (isinstance(n, ast.Attribute) and n.attr in constants)
            for n in ast.walk(node)
        )
    ]
    assert found == []


# --- 3. member of the PZK on day d -------------------------------------------------------------


def test_pzk_membership_on_a_day_is_written_only_in_rules():
    pattern = re.compile(r"left_on\s+IS\s+NULL\s+OR|left_on\s*>|left_on\.isna\(\)\s*\|", re.IGNORECASE)
    found = [
        f"{name}:{n}"
        for path in _files()
        if (name := _rel(path)) not in ("kooperacja/model/rules.py", "kooperacja/bench/core.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


# --- 4. role names and "who may" questions live in model/access.py ------------------------------

ROLE_CHECKS_PENDING: set[str] = set()  # every file asks access now
ROLE_SQL = re.compile(r"\brole\s+(IN\s*\(|=\s*')", re.IGNORECASE)


def _role_uses(name: str, tree: ast.AST) -> Iterator[str]:
    roles = set(access.ROLES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            isinstance(v, ast.Attribute) and v.attr == "role" for v in [node.left, *node.comparators]
        ):
            yield f"{name}:{node.lineno} {ast.unparse(node)}"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "Actor",
            "require_role",
            "create_user",
            "add_user",
        ):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Constant) and arg.value in roles and arg is not node.args[0]:
                    yield f"{name}:{node.lineno} {ast.unparse(node)}"
    for node in _strings(tree):
        if ROLE_SQL.search(node.value):
            yield f"{name}:{node.lineno} {node.value.strip()[:60]!r}"


def test_role_names_are_compared_only_in_access_py():
    skip = {"kooperacja/model/access.py", *ROLE_CHECKS_PENDING}
    found = [
        use
        for name, tree in _parsed()
        if name not in skip and not name.startswith(("kooperacja/demo/", "kooperacja/bench/"))
        for use in _role_uses(name, tree)
    ]
    assert found == []


def test_the_role_vocabulary_is_keyed_by_access_roles():
    from kooperacja.model import vocab

    assert tuple(vocab.ROLES) == access.ROLES
    assert set().union(*access.PAGE_ROLES.values()) == set(access.ROLES)


def test_the_actor_is_built_outside_the_ui():
    text = (ROOT / "kooperacja/ui/session.py").read_text(encoding="utf-8")
    assert "app_user" not in text and "pilot_gmina" not in text and ".execute(" not in text
    assert "users.load_actor(" in text


def test_load_actor_reads_the_role_and_an_animators_gminy(conn):
    from kooperacja.accounts import users
    from kooperacja.model.errors import AccessDenied
    from kooperacja.warehouse import transaction

    with transaction(conn) as cur:
        users.create_user(cur, "t", "ania", "Ania", access.ANIMATOR, "bardzo-dlugie-haslo-1")
        users.create_user(cur, "t", "zosia", "Zosia", access.ZARZAD, "bardzo-dlugie-haslo-2")
        cur.execute("INSERT INTO gmina VALUES ('0201032', 'Gromadka', 'wiejska', NULL, NULL, NULL)")
    actor = users.load_actor(conn, "zosia")
    assert actor == access.Actor("zosia", access.ZARZAD, frozenset())
    assert users.load_actor(conn, "ania").role == access.ANIMATOR
    with pytest.raises(AccessDenied):
        users.load_actor(conn, "nikt")


def test_who_may_questions_answer_as_the_role_rules_did():
    admin, animator = (
        access.Actor("a", access.ADMIN),
        access.Actor("n", access.ANIMATOR, frozenset({"0201032"})),
    )
    wzk, zarzad = access.Actor("w", access.WZK), access.Actor("z", access.ZARZAD)
    assert [access.is_animator(a) for a in (admin, animator, wzk)] == [False, True, False]
    assert [access.may_open(a, "alerty") for a in (admin, animator, wzk, zarzad)] == [
        True,
        True,
        False,
        False,
    ]
    assert access.can_edit_service(admin, "region", "02")
    assert access.can_edit_service(animator, "gmina", "0201032")
    assert access.can_edit_service(animator, "powiat", "0201")
    assert not access.can_edit_service(animator, "region", "02")
    assert not access.can_edit_service(wzk, "gmina", "0201032")
    assert access.REPORT_READER.role == access.ZARZAD and access.suppresses_small_counts(access.REPORT_READER)


# --- 5. the report's sections are described once ------------------------------------------------


def test_the_report_sections_are_listed_only_in_sections_py():
    from kooperacja.report import sections

    titles = {s.title for s in sections.SECTIONS} | {s.heading for s in sections.SECTIONS}
    numbered_heading = re.compile(r"^\d+\.\s")
    found = []
    for name, tree in _parsed():
        if name == "kooperacja/report/sections.py":
            continue
        for node in _strings(tree):
            if node.value in titles - {"Postęp gmin"}:  # also a caption of the gmina views
                found.append(f"{name}:{node.lineno} {node.value!r}")
            if name == "kooperacja/report/pdf.py" and numbered_heading.match(node.value):
                found.append(f"{name}:{node.lineno} hand-numbered {node.value!r}")
    assert found == []


def test_the_page_the_pdf_and_the_xlsx_share_one_order():
    from kooperacja.report import sections
    from kooperacja.report.effects import EffectsReport

    report = EffectsReport("R", date(2026, 11, 24), "R", None, False)
    assert list(report.tables()) == [s.title for s in sections.SECTIONS]
    assert [n for n, _ in sections.numbered()] == list(range(1, len(sections.SECTIONS) + 1))
    pdf = [n for n, _ in sections.pdf_numbered()]
    assert [n for n in pdf if n is not None] == list(range(1, 11))  # closures and evaluation share 6.
    assert len({s.key for s in sections.SECTIONS}) == len(sections.SECTIONS)


def test_the_importer_names_no_registry():
    # a new registry is one Registry(...) in exchange/mapping.py: apply.py iterates, never asks for a table
    text = (ROOT / "kooperacja/exchange/apply.py").read_text(encoding="utf-8")
    assert ".table ==" not in text and ".table in" not in text


def test_a_role_is_named_and_labelled_in_access_only():
    from kooperacja.model import vocab

    assert vocab.ROLES is access.ROLE_LABELS
    assert tuple(access.ROLE_LABELS) == access.ROLES


# --- saving from a form: one home (kooperacja/ui/saving.py) ---------------------------------------

SAVING = "kooperacja/ui/saving.py"


def _calls(tree: ast.AST, dotted: str) -> Iterator[ast.Call]:
    """Calls of `st.rerun`-like dotted names (`st.session_state.pop` matches `…session_state.pop`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(dotted):
            yield node


def test_only_saving_py_reruns_the_page_after_a_save():
    """A second save helper would rerun the page itself (to show its message, to empty its form)."""
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _parsed()
        if name != SAVING
        for node in _calls(tree, "st.rerun")
    ]
    assert found == []


def test_no_widget_key_is_popped_to_empty_a_form():
    """Popping a widget's key does not empty it in the browser (it sends its copy back): a form empties
    by drawing its next round (`saving.keys`). Only the modules' own session keys (UPPER_CASE constants)
    may be popped."""
    found = []
    for name, tree in _parsed():
        for node in _calls(tree, "session_state.pop"):
            key = node.args[0] if node.args else None
            if isinstance(key, ast.BinOp):  # a constant prefix + a name: the module's own keys
                key = key.left
            ident = (
                key.id if isinstance(key, ast.Name) else key.attr if isinstance(key, ast.Attribute) else ""
            )
            if not re.fullmatch(r"_?[A-Z][A-Z0-9_]*", ident):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_one_module_defines_the_save_button():
    """Only saving.py turns a KooperacjaError of a write into its message and goes on after a success
    (a rerun, a message kept for the next run); the other modules call `saving.submit`/`saving.attempt`."""
    found = []
    for name, tree in _parsed():
        if name == SAVING:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = any(
                "KooperacjaError" in ast.unparse(h.type) for h in node.handlers if h.type is not None
            )
            after = [*node.orelse, *node.body]
            if catches and any(
                "st.rerun" in ast.unparse(n) or "session_state[" in ast.unparse(n) for n in after
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == []
    assert not (ROOT / "kooperacja/ui/form_state.py").exists()
