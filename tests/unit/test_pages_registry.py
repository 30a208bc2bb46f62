"""Every page the role rules name is registered in the navigation and has a render function."""

from __future__ import annotations

import importlib

from kooperacja.model.access import PAGE_ROLES
from kooperacja.ui.nav import PAGES


def test_the_navigation_and_the_role_rules_name_the_same_pages():
    assert list(PAGES) and set(PAGES) == set(PAGE_ROLES)


def test_every_page_module_defines_render_and_draws_nothing_at_import():
    for name in PAGES:
        module = importlib.import_module(f"pages.{name}")
        assert callable(module.render), name
