"""The rule for new passwords and the login's length limits (hardening, findings 3 and 11)."""

from __future__ import annotations

import typing

import pytest

from kooperacja.accounts import users
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import Username


def test_the_login_pattern_is_the_models():
    assert typing.get_args(Username)[1].metadata[0].pattern == users.USERNAME_PATTERN


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("demo", "Hasło: co najmniej 12 znaków (np. kilka słów)"),
        ("x" * 11, "Hasło: co najmniej 12 znaków (np. kilka słów)"),
        (" " * 12, "Hasło: co najmniej 12 znaków (np. kilka słów)"),
        ("ż" * 37, "Hasło: najwyżej 72 bajty (litera z ogonkiem to 2 bajty)"),
        ("x" * 73, "Hasło: najwyżej 72 bajty (litera z ogonkiem to 2 bajty)"),
    ],
)
def test_a_new_password_must_have_12_characters_and_fit_in_72_bytes(password, problem):
    assert users.password_problems(password) == [problem]
    with pytest.raises(InvalidInput) as refused:
        users.hash_password(password)
    assert refused.value.problems == [problem]


@pytest.mark.parametrize("password", ["x" * 12, "ż" * 36, "trzy słowa wiosną", "random"])
def test_passwords_that_fit_the_rule(password):
    # the generated one is made at run time: xdist's workers must collect the same test ids
    password = users.random_password() if password == "random" else password
    assert users.password_problems(password) == []


def test_the_field_is_named_in_the_message():
    assert users.password_problems("krotkie", "Nowe hasło") == [
        "Nowe hasło: co najmniej 12 znaków (np. kilka słów)"
    ]


def test_only_the_demo_builder_may_skip_the_rule_never_the_byte_limit():
    assert users.hash_password("demo", check_strength=False).startswith("$2")
    with pytest.raises(InvalidInput):
        users.hash_password("x" * 73, check_strength=False)


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [
        ("a" * 32, "x" * 72, None),
        ("a" * 33, "demo", users.TOO_LONG_LOGIN),
        ("admin", "ż" * 37, users.TOO_LONG_PASSWORD),
        ("x" * 4_000_000, "x" * 4_000_000, users.TOO_LONG_LOGIN),
    ],
)
def test_login_lengths(username, password, problem):
    assert users.login_problem(username, password) == problem
