"""The Django admin for the catalogue: every change goes through curation.py, like the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from utsikt.accounts.models import User
from utsikt.catalogue import curation
from utsikt.catalogue.models import (
    HostOrganisation,
    Opportunity,
    PartnerAgreement,
    SavedSearch,
    SearchTerm,
)
from utsikt.catalogue.search import index as search_index


def _person(request: HttpRequest) -> User:
    """The administrator acting: the admin site lets no one else in."""
    assert isinstance(request.user, User)
    return request.user


class AgreementInline(admin.TabularInline[PartnerAgreement, HostOrganisation]):
    model = PartnerAgreement
    extra = 0


@admin.register(HostOrganisation)
class HostOrganisationAdmin(admin.ModelAdmin[HostOrganisation]):
    list_display = ["name", "kind", "country", "place", "erasmus_code", "status", "partner_until"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "local_name", "erasmus_code"]
    raw_id_fields = ["place", "proposed_by"]
    readonly_fields = ["partner_until", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(
        self, request: HttpRequest, obj: HostOrganisation, form: Any, change: bool
    ) -> None:
        curation.save_host(host=obj, by=_person(request))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for agreement in formset.save(commit=False):
            curation.record_agreement(agreement=agreement, by=_person(request))
        for agreement in formset.deleted_objects:
            curation.remove_agreement(agreement=agreement, by=_person(request))

    def delete_model(self, request: HttpRequest, obj: HostOrganisation) -> None:
        super().delete_model(request, obj)
        search_index.bump_revision()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HostOrganisation]) -> None:
        super().delete_queryset(request, queryset)
        search_index.bump_revision()

    inlines = [AgreementInline]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin[Opportunity]):
    list_display = ["title", "kind", "status", "start_date", "country", "faculty"]
    list_filter = ["status", "kind", "faculty", "country"]
    search_fields = ["title_sv", "title_en", "external_id", "host__name"]
    raw_id_fields = ["host"]
    date_hierarchy = "start_date"
    exclude = ["country", "place"]

    def save_model(self, request: HttpRequest, obj: Opportunity, form: Any, change: bool) -> None:
        curation.save_opportunity(opportunity=obj, by=_person(request))

    def delete_model(self, request: HttpRequest, obj: Opportunity) -> None:
        super().delete_model(request, obj)
        search_index.bump_revision()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        super().delete_queryset(request, queryset)
        search_index.bump_revision()


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin[SavedSearch]):
    list_display = ["name", "user", "created_at"]
    raw_id_fields = ["user"]


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin[SearchTerm]):
    """Words that mean the same in the search, in any language (one per line)."""

    list_display = ["__str__", "updated_at"]
    search_fields = ["terms"]
    readonly_fields = ["updated_at"]

    def save_model(self, request: HttpRequest, obj: SearchTerm, form: Any, change: bool) -> None:
        curation.save_search_term(term=obj, by=_person(request))

    def delete_model(self, request: HttpRequest, obj: SearchTerm) -> None:
        curation.delete_search_term(term=obj, by=_person(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SearchTerm]) -> None:
        for term in queryset:
            curation.delete_search_term(term=term, by=_person(request))
