"""Refusals name the person by their display name, the role in words and the gmina by its name."""

from __future__ import annotations

import pytest

from kooperacja.model import access
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied

ANNA = Actor(
    "animator1",
    access.ANIMATOR,
    frozenset({"3401011"}),
    name="Anna Nowak",
    places={"3401011": "Zawiśle", "3403022": "Borowina"},
)


def _refusal(fn, *args) -> str:
    with pytest.raises(AccessDenied) as caught:
        fn(*args)
    return caught.value.message


def test_another_gminas_refusal_names_the_person_the_role_and_the_gmina():
    text = _refusal(access.require_edit_gmina, ANNA, "3403022")
    assert text == "Użytkownik Anna Nowak (animator współpracy) nie może zmieniać gminy Borowina."
    assert "animator1" not in text and "3403022" not in text


def test_without_a_name_the_login_and_the_code_are_said_in_words():
    text = _refusal(access.require_edit_gmina, Actor("x", access.WZK), "3403022")
    assert text == "Użytkownik x (członek WZK) nie może zmieniać gminy o kodzie TERC 3403022."


ANNA_WHO = "Anna Nowak (animator współpracy)"
REFUSALS = [
    (
        access.require_admin,
        (ANNA,),
        f"Tę operację może wykonać tylko administrator; {ANNA_WHO} nim nie jest.",
    ),
    (
        access.require_write_data,
        (Actor("w", access.WZK, name="Jan Kowal"),),
        "Użytkownik Jan Kowal (członek WZK) nie może importować danych.",
    ),
    (
        access.require_edit_service,
        (ANNA, "gmina", "3403022"),
        f"Użytkownik {ANNA_WHO} nie może zmieniać usług gminy Borowina — "
        "animator prowadzi usługi swoich gmin i ich powiatów.",
    ),
]


@pytest.mark.parametrize(("fn", "args", "expected"), REFUSALS)
def test_every_refusal_speaks_of_people_not_codes(fn, args, expected):
    text = _refusal(fn, *args)
    assert text == expected
    for code in access.ROLES:
        assert f"({code})" not in text
