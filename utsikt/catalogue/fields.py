"""A set of codes kept in one integer column, so facets filter and count without joins.

An opportunity targets several staff categories, topics and working languages. Stored as one
bit per code, "targets librarians or IT technicians" is `(mask & 5) <> 0` and the count for
every code of a facet is one pass over one table, on SQLite and PostgreSQL alike.
The order of `codes` is the storage format: append new codes, never reorder or remove.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.postgres.search import SearchVectorField
from django.core.checks import CheckMessage
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

Codes = tuple[str, ...]


class CodeSetField(models.Field[Iterable[str] | int | Combinable, tuple[str, ...]]):
    """Several codes out of a fixed list, as a tuple in the list's order; 0 is the empty set."""

    description = _("Set of codes")

    def __init__(
        self,
        *args: Any,
        codes: Sequence[str] = (),
        labels: Iterable[tuple[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        if len(codes) > 62:
            raise ValueError("A CodeSetField holds at most 62 codes.")
        self.codes: Codes = tuple(codes)
        self.bits = {code: 1 << index for index, code in enumerate(self.codes)}
        # Labels only serve forms; they are not part of the stored format (nor of migrations).
        self.labels: list[tuple[str, Any]] = list(labels or [(c, c) for c in self.codes])
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "BigIntegerField"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["codes"] = list(self.codes)
        if kwargs.get("default") == 0:
            del kwargs["default"]
        return name, path, args, kwargs

    def mask(self, codes: Iterable[str]) -> int:
        """The integer for these codes; unknown codes are an error."""
        value = 0
        for code in codes:
            try:
                value |= self.bits[code]
            except KeyError:
                raise ValidationError(
                    _("“%(code)s” is not one of the allowed values."), params={"code": code}
                ) from None
        return value

    def decode(self, value: int) -> Codes:
        return tuple(code for code in self.codes if value & self.bits[code])

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Codes:
        return self.decode(value or 0)

    def to_python(self, value: Any) -> Codes:
        if value is None or value == "":
            return ()
        if isinstance(value, int):
            return self.decode(value)
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        chosen = set(value)
        self.mask(chosen)  # raises for unknown codes
        return tuple(code for code in self.codes if code in chosen)

    def get_prep_value(self, value: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            value = [value]
        return self.mask(value)

    def value_to_string(self, obj: models.Model) -> str:
        return ",".join(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs: Any) -> Any:
        return forms.MultipleChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            required=not self.blank,
            choices=self.labels,
            widget=kwargs.get("widget") or forms.CheckboxSelectMultiple,
        )


@CodeSetField.register_lookup
class HasAny(models.Lookup):
    """`field__has_any=["a", "b"]`: the set holds at least one of the codes."""

    lookup_name = "has_any"

    def get_prep_lookup(self) -> Any:
        return self.lhs.output_field.get_prep_value(self.rhs)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", (*lhs_params, *rhs_params)


class StoredSearchVectorField(SearchVectorField[Any, Any]):
    """PostgreSQL's `tsvector`, usable without django.contrib.postgres in INSTALLED_APPS.

    That app only adds lookups to text fields and type handlers (hstore, ranges); the stored
    vector, SearchQuery and SearchRank need neither, so its "must be installed" check is
    skipped here. On SQLite the column exists and stays NULL (see search/index.py).
    """

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [e for e in super().check(**kwargs) if e.id != "postgres.E005"]
