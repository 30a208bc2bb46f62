"""The Pomoc page: every role may open it, and its glossary is built from the model's constants."""

from __future__ import annotations

import pytest

from kooperacja.model import disclosure, rules
from kooperacja.programme.queries import PROGRESS_LABELS
from pages import pomoc


def _text(at) -> str:
    return " ".join(
        str(e.value) for kind in ("markdown", "subheader", "caption", "title") for e in at.get(kind)
    )


@pytest.mark.parametrize("user", ["admin", "animator1", "wzk", "zarzad"])
def test_every_role_gets_the_glossary(page_test, user):
    at = page_test("pomoc", user).run()
    assert not at.exception and not at.error
    text = _text(at).replace("\\", "")
    for words in [*rules.RULE_LABELS.values(), *rules.STATUS_LABELS.values(), *PROGRESS_LABELS.values()]:
        assert words in text, words
    for term in ("PZK", "GGK", "ZZK", "WZK", "LKU", disclosure.LABEL, disclosure.SECONDARY):
        assert term in text, term
    steps = at.dataframe[0].value
    assert set(steps["Krok"]) == {f"K{n}" for n in range(1, 11)}


def test_every_alert_rule_has_its_source():
    assert set(pomoc.rule_sources()) == set(rules.RULE_LABELS)
    assert all(source for _what, source in pomoc.rule_sources().values())


def test_the_glossary_follows_the_rule_constants(monkeypatch):
    monkeypatch.setattr(rules, "FIRST_CONTACT_DAYS", 10)
    monkeypatch.setattr(rules, "STALLED_DAYS", 60)
    assert "w ciągu 10 dni" in pomoc.rule_sources()["first_contact"][0]
    assert "60 dni" in pomoc.progress_meanings()[PROGRESS_LABELS["stalled"]]
