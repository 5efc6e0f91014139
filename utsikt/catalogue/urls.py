from django.urls import path

from utsikt.catalogue.views import office, public

app_name = "catalogue"

urlpatterns = [
    path("", public.search_page, name="search"),
    path("map/", public.map_page, name="map"),
    path("map/europe.svg", public.map_background, name="map_background"),
    path("calendar/", public.calendar_page, name="calendar"),
    path(
        "opportunities/<slug:slug>/",
        public.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "opportunities/<slug:slug>/calendar.ics",
        public.opportunity_ics,
        name="opportunity_ics",
    ),
    path("hosts/", public.host_list, name="hosts"),
    path("hosts/propose/", public.propose_host, name="host_propose"),
    path("hosts/<slug:slug>/", public.host_detail, name="host_detail"),
    path("saved/", public.saved_searches, name="saved_searches"),
    path(
        "saved/<int:pk>/delete/",
        public.delete_saved_search,
        name="saved_search_delete",
    ),
    path("saved/<int:pk>/renew/", public.renew_feed, name="saved_search_renew"),
    path("feeds/<str:token>.ics", public.feed, name="feed"),
    path("office/", office.office, name="office"),
    path("office/new/", office.opportunity_create, name="opportunity_create"),
    path("office/import/", office.import_page, name="import"),
    path("office/import/<int:pk>/", office.import_run, name="import_run"),
    # Under /export: a download, which the page crawler of the browser tests does not open.
    path(
        "office/import/export/template.<str:kind>",
        office.import_template,
        name="import_template",
    ),
    path(
        "office/opportunities/<slug:slug>/",
        office.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "office/opportunities/<slug:slug>/publish/",
        office.opportunity_publish,
        name="opportunity_publish",
    ),
    path(
        "office/opportunities/<slug:slug>/unpublish/",
        office.opportunity_unpublish,
        name="opportunity_unpublish",
    ),
    path(
        "office/opportunities/<slug:slug>/cancel/",
        office.opportunity_cancel,
        name="opportunity_cancel",
    ),
    path("office/hosts/", office.host_review, name="host_review"),
    path("office/hosts/<slug:slug>/", office.host_edit, name="host_edit"),
    path("office/hosts/<slug:slug>/approve/", office.host_approve, name="host_approve"),
    path("office/hosts/<slug:slug>/merge/", office.host_merge, name="host_merge"),
    path(
        "office/hosts/<slug:slug>/agreements/new/",
        office.agreement_add,
        name="agreement_add",
    ),
]
