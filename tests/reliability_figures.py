"""Figures the reliability tests count (bad inputs refused, writers held, crash points survived)."""

from __future__ import annotations

RELIABILITY: dict[str, int] = {}


def record_figure(name: str, amount: int = 1) -> None:
    RELIABILITY[name] = RELIABILITY.get(name, 0) + amount
