from django.urls import URLPattern, path

from utsikt.pages import views

app_name = "pages"

urlpatterns: list[URLPattern] = [
    path("info/", views.index, name="index"),
    path("info/<slug:slug>/", views.page, name="page"),
    path("stories/", views.stories, name="stories"),
    path("stories/offer/<int:pk>/", views.offer_story, name="offer_story"),
    path("stories/<slug:slug>/", views.story, name="story"),
    path("stories/<slug:slug>/photo.jpg", views.story_photo, name="story_photo"),
    path("ambassadors/", views.ambassador_list, name="ambassadors"),
    path("ambassadors/<int:pk>/contact/", views.ambassador_contact, name="ambassador_contact"),
    path("ambassadors/messages/<int:pk>/", views.ambassador_answer, name="ambassador_answer"),
    path("after-my-mobility/", views.returnee, name="returnee"),
    path("after-my-mobility/leave/", views.ambassador_leave, name="ambassador_leave"),
    path("contact/", views.contacts, name="contacts"),
    path("contact/<slug:code>/", views.office, name="office"),
    path("newsletter/", views.newsletter_signup, name="newsletter"),
    path("newsletter/check-your-inbox/", views.newsletter_sent, name="newsletter_sent"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/",
        views.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("newsletter/<str:week>/", views.newsletter_issue, name="newsletter_issue"),
    path("office/content/", views.office_home, name="office_home"),
    path("office/content/subscribers.csv", views.subscribers_export, name="subscribers_export"),
    path("office/content/pages/new/", views.page_edit, name="page_create"),
    path("office/content/pages/<slug:slug>/", views.page_edit, name="page_edit"),
    path("office/content/pages/<slug:slug>/history/", views.page_history, name="page_history"),
    path(
        "office/content/pages/<slug:slug>/history/<int:number>/restore/",
        views.page_restore,
        name="page_restore",
    ),
    path("office/content/stories/new/", views.story_edit, name="story_create"),
    path("office/content/stories/<slug:slug>/", views.story_edit, name="story_edit"),
    path("office/content/stories/<slug:slug>/publish/", views.story_publish, name="story_publish"),
    path(
        "office/content/stories/<slug:slug>/unpublish/",
        views.story_unpublish,
        name="story_unpublish",
    ),
    path("office/content/contact/<slug:code>/", views.office_edit, name="office_edit"),
]
