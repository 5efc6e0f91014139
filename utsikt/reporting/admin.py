"""Administrators keep the EU export's column mappings and the projects here.

A mapping is never edited once made: the EU's next template gets a new version, and the old
one stays so that an earlier export can be made again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from utsikt.reporting import eu
from utsikt.reporting.models import ExportMapping, Project


class ExportMappingForm(forms.ModelForm[ExportMapping]):
    class Meta:
        model = ExportMapping
        fields = ["version", "valid_from", "note", "columns"]

    def clean_columns(self) -> list[dict[str, Any]]:
        columns = self.cleaned_data["columns"]
        if not isinstance(columns, list) or not columns:
            raise forms.ValidationError(_("Give the columns as a list, one object per column."))
        for number, column in enumerate(columns, start=1):
            if not isinstance(column, dict) or not str(column.get("header", "")).strip():
                raise forms.ValidationError(
                    _("Column %(number)s needs a “header”.") % {"number": number}
                )
            source = column.get("source")
            if source is None and "value" not in column:
                raise forms.ValidationError(
                    _("Column %(number)s needs a “source” or a fixed “value”.") % {"number": number}
                )
            if source is not None and source not in eu.SOURCES:
                raise forms.ValidationError(
                    _("Column %(number)s: “%(source)s” is unknown; use one of %(known)s.")
                    % {"number": number, "source": source, "known": ", ".join(sorted(eu.SOURCES))}
                )
        return columns


@admin.register(ExportMapping)
class ExportMappingAdmin(admin.ModelAdmin[ExportMapping]):
    form = ExportMappingForm
    list_display = ["version", "valid_from", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A mapping once made stays as it was: a new template is a new version.
        return obj is None and super().has_change_permission(request, obj)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ["call_year", "grant_agreement_number", "sending_oid"]
