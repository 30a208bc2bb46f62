"""One guard on every free-text field of every record: found by introspection, so a new field fails here.

Only codes, enums and patterned fields (TERC, sub-step, login, categories) go unguarded: their pattern
leaves no room for text. Contacts may hold an institution's phone and e-mail, a WZK member's field a
name; nothing else personal passes anywhere.
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Annotated, Any, Literal, Union

import pytest
from pydantic.fields import FieldInfo
from pydantic.functional_validators import AfterValidator

from kooperacja.model import records
from kooperacja.model.errors import InvalidInput

RECORDS = [
    cls
    for _, cls in inspect.getmembers(records, inspect.isclass)
    if issubclass(cls, records.Record) and cls is not records.Record
]
GUARDS = {
    records._no_personal_data: "text",
    records._no_personal_data_in_contact: "contact",
    records._no_personal_data_but_a_name: "official_name",
}

PESEL = "PESEL 44051401359"
FULL_NAME = "Jan Kowalski"
PHONE = "tel. 501 234 567"
EMAIL = "jan.kowalski@wp.pl"
INSTITUTION_PHONE = "56 123 45 67"
INSTITUTION_EMAIL = "sekretariat@ops.gmina.pl"
ADDRESS = "ul. Lipowa 5/2, Toruń"
# The finding's variants, each through every guarded field.
VARIANTS = [
    "PESEL 44 05 14 01 359",
    "440-514-013-59",
    "501 23 45 67",
    "jan kowalski",
    "Nowak J.",
    "jan.kowalski(at)wp.pl",
    "Lipowa 5 m. 2, Toruń",
    "ur. 14.05.1944 r.",
]
REFUSED = {
    "text": [PESEL, FULL_NAME, PHONE, EMAIL, ADDRESS, *VARIANTS],
    "contact": [PESEL, FULL_NAME, EMAIL, ADDRESS, "44 05 14 01 359", "jan.kowalski(at)wp.pl", "Nowak J."],
    "official_name": [PESEL, PHONE, EMAIL, ADDRESS, "501 23 45 67", "ur. 14.05.1944 r."],
}
ALLOWED = {
    "text": ["Wniosek nr 123 456 789", "sygnatura 123-456-789", "-- nic", "spotkanie 14.05.2026 r."],
    "contact": [INSTITUTION_PHONE, INSTITUTION_EMAIL, f"{INSTITUTION_EMAIL}, tel. {INSTITUTION_PHONE}"],
    "official_name": [FULL_NAME, "dr hab. Ewa Sobolewska"],
}


def _parts(hint: Any) -> tuple[type | None, list[Any]]:
    """(base type, metadata) of a field's type hint, through Optional, Annotated and list[...]."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(hint)
        if origin is Annotated:
            metadata.extend(hint.__metadata__)
            hint = typing.get_args(hint)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            assert len(args) == 1, hint
            hint = args[0]
        elif origin is list:
            hint = typing.get_args(hint)[0]
        elif origin is Literal:
            return None, metadata
        else:
            return hint, metadata


def _patterned(metadata: list[Any]) -> bool:
    found = [m for m in metadata if getattr(m, "pattern", None)]
    found += [
        x for m in metadata if isinstance(m, FieldInfo) for x in m.metadata if getattr(x, "pattern", None)
    ]
    return bool(found)


def _guard(metadata: list[Any]) -> str | None:
    kinds = [GUARDS[m.func] for m in metadata if isinstance(m, AfterValidator) and m.func in GUARDS]
    assert len(kinds) <= 1, kinds
    return kinds[0] if kinds else None


def str_fields() -> list[tuple[type[records.Record], str, str | None, bool]]:
    """(record, field, guard kind or None, patterned) of every str-typed field of every record."""
    out = []
    for cls in RECORDS:
        hints = typing.get_type_hints(cls, include_extras=True)
        for name in cls.model_fields:
            base, metadata = _parts(hints[name])
            if base is str:
                out.append((cls, name, _guard(metadata), _patterned(metadata)))
    return out


FIELDS = str_fields()
GUARDED = [(cls, name, kind) for cls, name, kind, _ in FIELDS if kind]
IDS = [f"{cls.__name__}.{name}" for cls, name, _ in GUARDED]


def test_every_record_is_walked_and_the_free_text_fields_are_many():
    assert len(RECORDS) >= 20
    assert len(GUARDED) >= 24


@pytest.mark.parametrize(
    ("cls", "name", "kind", "patterned"), FIELDS, ids=[f"{c.__name__}.{n}" for c, n, *_ in FIELDS]
)
def test_every_str_field_is_guarded_unless_a_pattern_leaves_no_room_for_text(cls, name, kind, patterned):
    assert kind or patterned, f"{cls.__name__}.{name}: a str field without the personal-data guard"


def test_the_fields_that_hold_a_contact_or_an_officials_name_are_exactly_these():
    special = {f"{cls.__name__}.{name}": kind for cls, name, kind in GUARDED if kind != "text"}
    assert special == {"Service.contact": "contact", "WzkMember.full_name": "official_name"}


def _problems(cls: type[records.Record], name: str, value: str) -> list[str]:
    title = records.label(cls, name)
    try:
        cls.parse({name: value})
    except InvalidInput as refused:
        return [p for p in refused.problems if p.startswith(f"{title}: ")]
    return []


@pytest.mark.parametrize(("cls", "name", "kind"), GUARDED, ids=IDS)
def test_personal_data_is_refused_naming_the_field(cls, name, kind):
    for value in REFUSED[kind]:
        problems = _problems(cls, name, value)
        assert any("wygląda na" in p and "dane osobowe" in p for p in problems), (value, problems)


@pytest.mark.parametrize(("cls", "name", "kind"), GUARDED, ids=IDS)
def test_innocent_text_and_what_the_field_is_for_pass(cls, name, kind):
    for value in ALLOWED[kind]:
        assert _problems(cls, name, value) == [], value


@pytest.mark.parametrize(
    "cls", [c for c in RECORDS if "case_code" in c.model_fields], ids=lambda c: c.__name__
)
def test_a_case_code_carrying_a_pesel_is_refused_and_a_generated_one_passes(cls):
    title = records.label(cls, "case_code")
    assert _problems(cls, "case_code", "P-4405140-1359") == [
        f"{title}: wygląda na numer PESEL — dane osobowe nie mogą trafić do systemu "
        "(sprawy są prowadzone pod kodem)"
    ]
    assert _problems(cls, "case_code", "P-3401011-0001") == []


@pytest.mark.parametrize(
    ("text", "ok"),
    [("-- nic", True), ("- uwaga", True), ("---", True), ("= x", True), ("-1200", True), ("--1+2", False),
     ("-2+3+cmd|' /C calc'!A0", False), ("=1+2", False), ("@SUM(A1)", False), ("+48 501 234", True)],
)  # fmt: skip
def test_a_leading_dash_followed_by_a_space_or_a_dash_is_no_formula(text, ok):
    problems = _problems(records.Zgloszenie, "note", text)
    assert (problems == []) is ok, problems


def test_the_walk_would_catch_a_new_plain_str_field():
    class Careless(records.Record):
        TABLE = "careless"
        KEY = "note"
        note: str
        code: Annotated[str, records.Field(pattern=r"^[a-z]+$")]

    hints = typing.get_type_hints(Careless, include_extras=True)
    note, code = _parts(hints["note"]), _parts(hints["code"])
    assert note[0] is str and _guard(note[1]) is None and not _patterned(note[1])
    assert code[0] is str and _patterned(code[1])
