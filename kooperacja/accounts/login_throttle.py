"""Slowing down password guessing: a growing, capped wait after failed logins, never a lockout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

BASE_DELAY = 0.5  # seconds after the first failure; doubles with each further one
MAX_DELAY = 15.0  # the cap: a known user under attack still gets in after this wait
FORGET_AFTER = 15 * 60.0  # failures older than this no longer count


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


@dataclass
class LoginThrottle:
    """Failed logins per key (a login name, a browser session); the wait before the next check.

    Keys are counted whether or not the user exists, so the wait tells nothing about valid logins.
    Example: after 3 failures on "ala" the next attempt waits 0.5 * 2**2 = 2 s, after 8 it waits 15 s
    (the cap), and 15 minutes without a failure reset the count.
    """

    base: float = BASE_DELAY
    cap: float = MAX_DELAY
    forget_after: float = FORGET_AFTER
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def delay(self, *keys: str) -> float:
        """Seconds to wait before checking a password offered under any of `keys` (the largest)."""
        now = self.clock()
        with self._lock:
            counts = [self._current(key, now) for key in keys]
        worst = max(counts, default=0)
        return 0.0 if worst == 0 else min(self.cap, self.base * 2 ** (worst - 1))

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                entry = self._seen.setdefault(key, _Failures())
                entry.count = self._current(key, now) + 1
                entry.last = now
            if len(self._seen) > 10_000:  # a flood of made-up names must not grow memory without end
                self._seen = {k: v for k, v in self._seen.items() if now - v.last < self.forget_after}

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._seen.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()

    def _current(self, key: str, now: float) -> int:
        entry = self._seen.get(key)
        if entry is None or now - entry.last >= self.forget_after:
            return 0
        return entry.count


# The app's one throttle (one per process, shared by every browser session).
LOGIN_THROTTLE = LoginThrottle()
