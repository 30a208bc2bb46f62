"""Complementary suppression (disclosure.protect): no "<5" comes back from the sums shown with it."""

from __future__ import annotations

import random

import pandas as pd

from kooperacja.model import disclosure
from kooperacja.model.disclosure import LABEL, SECONDARY, THRESHOLD, protect, recover, total
from tests.integration.test_disclosure_attack import attack


def _grid(rng: random.Random):
    """A random table with row totals, column totals and the grand total, all shown."""
    rows, cols = rng.randint(1, 4), rng.randint(2, 4)
    values = {(r, c): rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for r in range(rows) for c in range(cols)}
    relations = []
    for r in range(rows):
        values[(r, "Σ")] = sum(values[(r, c)] for c in range(cols))
        relations.append(total([(r, c) for c in range(cols)], (r, "Σ")))
    for c in [*range(cols), "Σ"]:
        values[("Σ", c)] = sum(values[(r, c)] for r in range(rows))
        relations.append(total([(r, c) for r in range(rows)], ("Σ", c)))
    return values, relations


def test_random_tables_with_margins_give_no_small_count_back():
    rng = random.Random(6)
    hidden_total = complements = 0
    for _ in range(40):
        values, relations = _grid(rng)
        hidden = protect(values, relations)
        shown = {k: hidden.get(k, v) for k, v in values.items()}
        assert {k for k, v in hidden.items() if v == LABEL} == {
            k for k, v in values.items() if 0 < v < THRESHOLD
        }
        assert all(
            values[k] >= THRESHOLD for k, v in hidden.items() if v == SECONDARY
        )  # never a 0, never small
        assert recover(shown, relations) == {}, (values, shown)
        rel_dicts = [dict(r) for r in relations]
        assert attack(shown, values, rel_dicts) == {}, (values, shown)
        hidden_total += len(hidden)
        complements += sum(v == SECONDARY for v in hidden.values())
    assert complements > 0 and hidden_total > complements  # the tables did need complements


def test_a_funnel_hides_the_fewest_cells_beside_a_small_stage():
    cases = [38, 14, 3, 9, 71, 2, 14]  # at each stage now; reached k = Σ of the stages from k
    values = {("c", k): n for k, n in enumerate(cases)} | {("r", k): sum(cases[k:]) for k in range(7)}
    relations = [total([("c", j) for j in range(k, 7)], ("r", k)) for k in range(7)]
    hidden = protect(values, relations)
    # c2 = r2 − r3: one of them must go, and then one more beside it (r2 = r1 − c1), same for c5
    assert [k for k, v in hidden.items() if v == LABEL] == [("c", 2), ("c", 5)]
    assert sum(v == SECONDARY for v in hidden.values()) == 4
    assert ("r", 0) not in hidden  # the number of cases stays exact
    shown = {k: hidden.get(k, v) for k, v in values.items()}
    assert recover(shown, relations) == {}
    assert attack(shown, values, [dict(r) for r in relations]) == {}


def test_a_relation_that_does_not_hold_is_not_used():
    values = {"a": 3, "b": 12, "t": 99}  # t is not a + b: nothing to subtract
    assert protect(values, [total(["a", "b"], "t")]) == {"a": LABEL}


def test_rates_and_medians_over_a_hidden_count_are_blanked():
    df = pd.DataFrame({"expected": [10, "<5", 12], "received": ["<5", 0, 12], "rate": [0.3, 0.0, 1.0]})
    out = disclosure.blank_where_hidden(df, ["rate"], ["expected", "received"])
    assert out.rate.tolist() == [None, None, 1.0]


def test_frames_are_protected_together_and_left_unchanged():
    kinds = pd.DataFrame({"kind": ["a", "b", "c"], "n": [3, 12, 20]})
    head = pd.DataFrame({"all": [35]})
    relation = total([("kinds", i, "n") for i in range(3)], ("head", 0, "all"))
    out = disclosure.protect_frames(
        {"kinds": kinds, "head": head}, {"kinds": ["n"], "head": ["all"]}, [relation]
    )
    assert out["kinds"].n.tolist() == [LABEL, SECONDARY, 20] and out["head"]["all"].tolist() == [35]
    assert kinds.n.tolist() == [3, 12, 20]  # the input is not changed


def test_the_note_names_both_labels():
    assert LABEL in disclosure.NOTE and f"„{SECONDARY}”" in disclosure.NOTE
