from django.urls import URLPattern, path

from utsikt.grants import views

app_name = "grants"

urlpatterns: list[URLPattern] = [
    path("grant/", views.estimate_page, name="estimate"),
    path("grant/places/", views.place_options, name="place_options"),
]
