"""The login throttle: a doubling, capped wait per login and per session, forgotten after a while."""

from __future__ import annotations

import itertools

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


# --- Hardening (findings 3 and 11): bounded memory, parallel guesses, spraying -------------------


def test_ten_thousand_long_made_up_logins_keep_the_throttle_small():
    import tracemalloc

    from kooperacja.accounts.login_throttle import MAX_KEYS

    t = LoginThrottle(clock=Clock())
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(10_000):
        name = f"{i:05d}" + "x" * 4096  # 4 KB each: 40 MB if the names were kept
        t.reserve(f"login:{name}")
        t.failed(f"login:{name}")
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert len(t) <= MAX_KEYS
    assert grown < 1_000_000, grown  # about 0.6 MB for a full throttle (the names: 40 MB)
    assert all(isinstance(k, bytes) and len(k) == 8 for k in t._seen)  # hashes, never the strings


def test_old_entries_expire():
    clock = Clock()
    t = LoginThrottle(forget_after=900, clock=clock)
    for i in range(100):
        t.failed(f"login:u{i}")
    assert len(t) == 100
    clock.now += 901
    t.failed("login:nowy")
    assert len(t) == 1


def test_the_least_recent_key_goes_first_when_the_cap_is_reached():
    t = LoginThrottle(base=1, max_keys=3, clock=Clock())
    for key in ("a", "b", "c", "a", "d"):
        t.failed(key)
    assert len(t) == 3
    assert t.delay("b") == 0 and t.delay("a") == 2 and t.delay("d") == 1


def test_five_parallel_sessions_on_one_account_get_one_guess_per_wait():
    import threading
    import time

    t = LoginThrottle(base=0.1, cap=5)
    checks: list[float] = []
    lock = threading.Lock()
    go = threading.Barrier(5)

    def guess(session: int) -> None:
        keys = ("login:admin", f"session:{session}")  # each a fresh session: only the login is shared
        go.wait()
        wait = t.reserve(*keys)
        assert wait is not None
        time.sleep(wait)
        with lock:
            checks.append(time.monotonic())
        t.failed(*keys)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    checks.sort()
    gaps = [b - a for a, b in itertools.pairwise(checks)]
    # The same waits as five guesses one after another: 0.1, 0.2, 0.4, 0.8 s (not five at once).
    for gap, expected in zip(gaps, (0.1, 0.2, 0.4, 0.8), strict=True):
        assert gap >= expected - 0.02, gaps


def test_a_check_beyond_the_cap_is_refused_at_once_never_locked():
    clock = Clock()
    t = LoginThrottle(base=1, cap=15, clock=clock)
    for _ in range(10):
        t.failed("login:ala")
    assert t.reserve("login:ala") == 15  # one queued at the cap ...
    assert t.reserve("login:ala") is None  # ... a second, parallel one is turned away, unchecked
    clock.now += 15
    t.failed("login:ala")  # the first one's check failed
    clock.now += 15
    assert t.reserve("login:ala") == 15  # the next one is served after the cap again


def test_spraying_one_password_over_many_logins_slows_every_login_capped():
    clock = Clock()
    t = LoginThrottle(global_threshold=30, global_window=60, global_gap=1, global_cap=10, clock=clock)
    for i in range(29):
        t.failed(f"login:u{i}")  # many logins, one failure each: no login's own wait counts much
    assert t.reserve("login:ktos") == 0
    t.cancel("login:ktos")
    t.failed("login:u29")
    waits = []
    for i in range(20):
        wait = t.reserve(f"login:inny{i}")
        waits.append(wait)
    assert waits[0] >= 1  # every login waits now, also a fresh one
    assert waits == sorted(waits) and max(waits) == 10  # one after another, capped, never refused
    clock.now += 61  # the window passes without failures
    assert t.reserve("login:inny99") == 0


def test_a_cancelled_reservation_is_not_counted():
    t = LoginThrottle(base=1, clock=Clock())
    t.reserve("login:ala")
    assert t.delay("login:ala") == 1  # pending counts as a failure meanwhile
    t.cancel("login:ala")
    assert t.delay("login:ala") == 0
