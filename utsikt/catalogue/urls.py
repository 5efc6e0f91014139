from django.urls import path

from utsikt.catalogue import views

urlpatterns = [
    path("catalogue/", views.search_page, name="catalogue_search"),
    path("catalogue/map/", views.map_page, name="catalogue_map"),
    path("catalogue/map/europe.svg", views.map_background, name="catalogue_map_background"),
    path("catalogue/calendar/", views.calendar_page, name="catalogue_calendar"),
    path(
        "catalogue/opportunities/<slug:slug>/",
        views.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "catalogue/opportunities/<slug:slug>/calendar.ics",
        views.opportunity_ics,
        name="opportunity_ics",
    ),
    path("catalogue/hosts/", views.host_list, name="catalogue_hosts"),
    path("catalogue/hosts/propose/", views.propose_host, name="host_propose"),
    path("catalogue/hosts/<slug:slug>/", views.host_detail, name="host_detail"),
    path("catalogue/saved/", views.saved_searches, name="saved_searches"),
    path(
        "catalogue/saved/<int:pk>/delete/",
        views.delete_saved_search,
        name="saved_search_delete",
    ),
    path("catalogue/saved/<int:pk>/renew/", views.renew_feed, name="saved_search_renew"),
    path("catalogue/feeds/<str:token>.ics", views.feed, name="catalogue_feed"),
    path("catalogue/office/", views.office, name="catalogue_office"),
    path("catalogue/office/new/", views.opportunity_create, name="opportunity_create"),
    path("catalogue/office/import/", views.import_page, name="catalogue_import"),
    path(
        "catalogue/office/opportunities/<slug:slug>/",
        views.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "catalogue/office/opportunities/<slug:slug>/publish/",
        views.opportunity_publish,
        name="opportunity_publish",
    ),
    path(
        "catalogue/office/opportunities/<slug:slug>/unpublish/",
        views.opportunity_unpublish,
        name="opportunity_unpublish",
    ),
    path(
        "catalogue/office/opportunities/<slug:slug>/cancel/",
        views.opportunity_cancel,
        name="opportunity_cancel",
    ),
    path("catalogue/office/hosts/", views.host_review, name="host_review"),
    path("catalogue/office/hosts/<slug:slug>/", views.host_edit, name="host_edit"),
    path("catalogue/office/hosts/<slug:slug>/approve/", views.host_approve, name="host_approve"),
    path("catalogue/office/hosts/<slug:slug>/merge/", views.host_merge, name="host_merge"),
    path(
        "catalogue/office/hosts/<slug:slug>/agreements/new/",
        views.agreement_add,
        name="agreement_add",
    ),
]
