"""The login throttle: a doubling, capped wait per login and per session, forgotten after a while."""

from __future__ import annotations

from kooperacja.accounts.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_failures_no_wait():
    assert LoginThrottle().delay("login:ala", "session:x") == 0


def test_each_failure_doubles_the_wait_up_to_the_cap():
    t = LoginThrottle(base=0.5, cap=15, clock=Clock())
    waits = []
    for _ in range(8):
        t.failed("login:ala")
        waits.append(t.delay("login:ala"))
    assert waits == [0.5, 1, 2, 4, 8, 15, 15, 15]


def test_the_wait_is_the_worst_of_the_login_and_the_session():
    t = LoginThrottle(base=1, clock=Clock())
    for _ in range(3):
        t.failed("session:s1")
    assert t.delay("login:ala", "session:s1") == 4
    assert t.delay("login:ala", "session:s2") == 0


def test_an_unknown_login_is_throttled_like_a_known_one():
    t = LoginThrottle(base=1, clock=Clock())
    t.failed("login:admin")
    t.failed("login:nie-ma-takiego")
    assert t.delay("login:admin") == t.delay("login:nie-ma-takiego") == 1


def test_there_is_no_lockout_failures_are_forgotten_and_success_clears_them():
    clock = Clock()
    t = LoginThrottle(base=1, forget_after=900, clock=clock)
    for _ in range(20):
        t.failed("login:ala")
    assert t.delay("login:ala") == t.cap  # slow, never locked
    clock.now += 901
    assert t.delay("login:ala") == 0
    t.failed("login:ala")
    t.succeeded("login:ala")
    assert t.delay("login:ala") == 0
