from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Utsikt"
admin.site.site_title = "Utsikt"

urlpatterns = [
    path("", include("utsikt.core.urls")),
    # Before the includes without a prefix: a catalogue address is resolved in one step.
    path("catalogue/", include("utsikt.catalogue.urls")),
    path("admin/", admin.site.urls),
    # The work lists (my/, manager/, office/, finance/) are the busiest signed-in pages:
    # before accounts and grants, so that resolving them tries some twenty routes fewer.
    # No address of one include matches a route of another
    # (tests/test_access_matrix.py::test_every_address_resolves_to_its_own_route).
    path("", include("utsikt.mobility.urls")),
    path("", include("utsikt.accounts.urls")),
    path("", include("utsikt.grants.urls")),
    path("", include("utsikt.documents.urls")),
    path("", include("utsikt.pages.urls")),
    path("reports/", include("utsikt.reporting.urls")),
    path("", include("utsikt.api.urls")),
]

handler400 = "utsikt.core.errors.bad_request"
handler403 = "utsikt.core.errors.permission_denied"
handler404 = "utsikt.core.errors.page_not_found"
handler500 = "utsikt.core.errors.server_error"
