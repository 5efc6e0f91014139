from django.urls import path

from utsikt.catalogue import views

urlpatterns = [
    path("", views.search_page, name="catalogue_search"),
    path("map/", views.map_page, name="catalogue_map"),
    path("map/europe.svg", views.map_background, name="catalogue_map_background"),
    path("calendar/", views.calendar_page, name="catalogue_calendar"),
    path(
        "opportunities/<slug:slug>/",
        views.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "opportunities/<slug:slug>/calendar.ics",
        views.opportunity_ics,
        name="opportunity_ics",
    ),
    path("hosts/", views.host_list, name="catalogue_hosts"),
    path("hosts/propose/", views.propose_host, name="host_propose"),
    path("hosts/<slug:slug>/", views.host_detail, name="host_detail"),
    path("saved/", views.saved_searches, name="saved_searches"),
    path(
        "saved/<int:pk>/delete/",
        views.delete_saved_search,
        name="saved_search_delete",
    ),
    path("saved/<int:pk>/renew/", views.renew_feed, name="saved_search_renew"),
    path("feeds/<str:token>.ics", views.feed, name="catalogue_feed"),
    path("office/", views.office, name="catalogue_office"),
    path("office/new/", views.opportunity_create, name="opportunity_create"),
    path("office/import/", views.import_page, name="catalogue_import"),
    path(
        "office/opportunities/<slug:slug>/",
        views.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "office/opportunities/<slug:slug>/publish/",
        views.opportunity_publish,
        name="opportunity_publish",
    ),
    path(
        "office/opportunities/<slug:slug>/unpublish/",
        views.opportunity_unpublish,
        name="opportunity_unpublish",
    ),
    path(
        "office/opportunities/<slug:slug>/cancel/",
        views.opportunity_cancel,
        name="opportunity_cancel",
    ),
    path("office/hosts/", views.host_review, name="host_review"),
    path("office/hosts/<slug:slug>/", views.host_edit, name="host_edit"),
    path("office/hosts/<slug:slug>/approve/", views.host_approve, name="host_approve"),
    path("office/hosts/<slug:slug>/merge/", views.host_merge, name="host_merge"),
    path(
        "office/hosts/<slug:slug>/agreements/new/",
        views.agreement_add,
        name="agreement_add",
    ),
]
