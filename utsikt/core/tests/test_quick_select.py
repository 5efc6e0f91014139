"""QuickSelect writes the very HTML Django's Select renders, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from utsikt.core.widgets import QuickSelect

CHOICES: list[Any] = [
    ("", "All"),
    ("x<", 'X & <b>"quoted"</b>'),
    ("Group", [("1", "one"), ("2", "two")]),
    (2026, 2026),
]


def _form(widget: type[forms.Select]) -> type[forms.Form]:
    class Filter(forms.Form):
        kind = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)
        year = forms.TypedChoiceField(
            choices=CHOICES, coerce=str, required=False, widget=widget(attrs={"data-x": 'a"b'})
        )
        shut = forms.ChoiceField(
            choices=CHOICES, widget=widget(attrs={"disabled": True, "hidden": False})
        )

    return Filter


@pytest.mark.parametrize(
    "data", [None, {}, {"kind": "x<", "year": "2026", "shut": "2"}, {"kind": "bogus"}]
)
def test_the_html_is_djangos_own(data: dict[str, str] | None) -> None:
    django_form, quick_form = _form(forms.Select)(data), _form(QuickSelect)(data)
    if data is not None:
        django_form.is_valid()
        quick_form.is_valid()
    for name in ("kind", "year", "shut"):
        assert str(quick_form[name]) == str(django_form[name])
    assert 'value="x&lt;"' in str(quick_form["kind"])
