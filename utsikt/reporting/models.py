"""What reporting keeps of its own: the EU's export columns as data, and the projects."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportMapping(models.Model):
    """One version of the EU Beneficiary Module's import columns, kept as data.

    The BM's columns change with its releases: a new template gets a new version, and the
    old one is kept so that an earlier export can be made again. `columns` is a list of
    {"header": the BM's field name (row 1), "source": a field of `reporting.eu.SOURCES`,
    or "value": a fixed text, and "required": whether the BM refuses the row without it}.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    valid_from = models.DateField(_("valid from"))
    note = models.TextField(_("note"), blank=True)
    columns = models.JSONField(_("columns"), default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("EU export mapping")
        verbose_name_plural = _("EU export mappings")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.version

    @property
    def headers(self) -> list[str]:
        return [str(column["header"]) for column in self.column_list]

    @property
    def column_list(self) -> list[dict[str, Any]]:
        return [column for column in self.columns if isinstance(column, dict)]


class Project(models.Model):
    """Lund's Erasmus+ KA131 project of one call year, as the EU knows it."""

    call_year = models.PositiveSmallIntegerField(_("call year"), unique=True)
    grant_agreement_number = models.CharField(_("grant agreement number"), max_length=40)
    sending_oid = models.CharField(_("Lund University's OID"), max_length=12)

    class Meta:
        verbose_name = _("Erasmus+ project")
        verbose_name_plural = _("Erasmus+ projects")

    def __str__(self) -> str:
        return f"{self.call_year}: {self.grant_agreement_number}"
