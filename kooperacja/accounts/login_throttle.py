"""Slowing down password guessing: a growing, capped wait after failed logins, never a lockout.

Three rules, all in one object guarded by one lock:

- per key (a login name, a client's address or a browser session): each failure doubles the wait
  before the next check under that key, up to a cap. Parallel attempts on one key share the wait:
  each one reserves the next free slot, so five sessions guessing one account get one guess per
  wait, not five. An attempt whose slot would be further away than the cap is refused at once
  (no password check, nothing counted): "try again in a moment", over in at most the cap.
- globally: when many failures happened lately across all keys (password spraying over many
  logins), every check also waits for a global slot, spaced `global_gap` apart; that wait is capped
  at `global_cap` and never refuses.
- bounded memory: at most `max_keys` keys are tracked (least recently failed dropped first), each
  kept as an 8-byte keyed hash, never the raw string; entries expire after `forget_after`. Pushing
  a target's entry out needs `max_keys` failures, which trips the global rule long before.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

BASE_DELAY = 0.5  # seconds after the first failure; doubles with each further one
MAX_DELAY = 15.0  # the cap: a known user under attack still gets in after this wait
FORGET_AFTER = 15 * 60.0  # failures older than this no longer count
MAX_KEYS = 2048  # tracked keys at most (about 0.6 MB when full)
GLOBAL_WINDOW = 60.0  # seconds over which failures of every key are counted ...
GLOBAL_THRESHOLD = 30  # ... and from this many on, every check waits for a global slot
GLOBAL_GAP = 1.0  # seconds between two checks while the global rule holds
GLOBAL_CAP = 10.0  # the global wait's cap: under spraying every login is slower, none refused


class _Entry:
    __slots__ = ("count", "last", "next_at", "pending")

    def __init__(self) -> None:
        self.count = 0  # failures reported
        self.pending = 0  # reserved checks not yet reported (counted as failures meanwhile)
        self.last = 0.0  # the last reservation or failure
        self.next_at = 0.0  # the earliest start of the next check


@dataclass
class LoginThrottle:
    """Failed logins per key; the wait before the next check.

    Keys are counted whether or not the user exists, so the wait tells nothing about valid logins.
    Example: after 3 failures on "ala" the next attempt waits 0.5 * 2**2 = 2 s, after 8 it waits 15 s
    (the cap), and 15 minutes without a failure reset the count.

    Use: `wait = reserve(*keys)`; None means refused now; else sleep `wait`, check the password,
    then report `failed(*keys)` or `succeeded(*keys)`.
    """

    base: float = BASE_DELAY
    cap: float = MAX_DELAY
    forget_after: float = FORGET_AFTER
    max_keys: int = MAX_KEYS
    global_window: float = GLOBAL_WINDOW
    global_threshold: int = GLOBAL_THRESHOLD
    global_gap: float = GLOBAL_GAP
    global_cap: float = GLOBAL_CAP
    clock: Callable[[], float] = time.monotonic
    _seen: OrderedDict[bytes, _Entry] = field(default_factory=OrderedDict)
    _recent: deque[float] = field(init=False)  # times of the latest failures, of every key
    _global_next: float = 0.0
    _salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._recent = deque(maxlen=self.global_threshold)

    def __len__(self) -> int:
        return len(self._seen)

    def delay(self, *keys: str) -> float:
        """The wait that failures so far put before a check under any of `keys` (the largest)."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            entries = [self._seen.get(self._hash(k)) for k in keys]
            return max((self._wait_after(e.count + e.pending) for e in entries if e), default=0.0)

    def reserve(self, *keys: str) -> float | None:
        """Book the next check under `keys`: seconds to wait before it, or None when refused now.

        The check is counted as a failure until `failed` or `succeeded` reports it.
        """
        now = self.clock()
        with self._lock:
            self._expire(now)
            hashed = [self._hash(k) for k in keys]
            start = now
            for h in hashed:
                e = self._seen.get(h)
                if e is not None:
                    start = max(start, now + self._wait_after(e.count + e.pending), e.next_at)
            if start - now > self.cap + 1e-6:
                return None
            if self._under_spraying(now):
                start = max(start, min(max(now + self.global_gap, self._global_next), now + self.global_cap))
                self._global_next = max(self._global_next, start) + self.global_gap
                self._global_next = min(self._global_next, now + self.global_cap + self.global_gap)
            for h in hashed:
                e = self._entry(h)
                e.pending += 1
                e.last = now
                e.next_at = start + self._wait_after(e.count + e.pending)
            self._trim()
            return start - now

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            self._expire(now)
            for key in keys:
                e = self._entry(self._hash(key))
                e.pending = max(0, e.pending - 1)
                e.count += 1
                e.last = now
                e.next_at = max(e.next_at, now + self._wait_after(e.count + e.pending))
            self._recent.append(now)
            self._trim()

    def cancel(self, *keys: str) -> None:
        """A reserved check that did not happen (the input was refused before it): not counted."""
        with self._lock:
            for key in keys:
                e = self._seen.get(self._hash(key))
                if e is not None and e.pending:
                    e.pending -= 1

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._seen.pop(self._hash(key), None)

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
            self._recent.clear()
            self._global_next = 0.0

    def _under_spraying(self, now: float) -> bool:
        recent = self._recent
        return len(recent) >= self.global_threshold and now - recent[0] < self.global_window

    def _wait_after(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.cap, self.base * 2 ** min(failures - 1, 64))

    def _hash(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8, key=self._salt).digest()

    def _entry(self, h: bytes) -> _Entry:
        e = self._seen.get(h)
        if e is None:
            e = self._seen[h] = _Entry()
        else:
            self._seen.move_to_end(h)
        return e

    def _expire(self, now: float) -> None:
        # Entries are kept in the order of their last touch: the stale ones are at the front.
        seen = self._seen
        while seen:
            h, e = next(iter(seen.items()))
            if now - e.last < self.forget_after:
                break
            del seen[h]

    def _trim(self) -> None:
        while len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)


# The app's one throttle (one per process, shared by every browser session).
LOGIN_THROTTLE = LoginThrottle()
