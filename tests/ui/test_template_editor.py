"""The harmonogram template's grid editor on the admin's data page (AppTest)."""

from __future__ import annotations


def test_the_admin_sees_the_template_as_an_editable_grid_with_a_save_button(page_test):
    at = page_test("dane", "admin")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Szablon harmonogramu").run(timeout=30)
    assert not at.exception and not at.error
    assert any(b.label == "Zapisz jako nową wersję" for b in at.button)
    assert any("Edycja w tabeli" in m.value for m in at.markdown)
    at.button("f_tpl_grid_save").click().run(timeout=30)  # the grid as shown: a valid new version
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Zapisano nową wersję szablonu")
