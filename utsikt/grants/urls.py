from django.urls import URLPattern, path

from utsikt.grants import views

urlpatterns: list[URLPattern] = [
    path("grant/", views.estimate_page, name="grant_estimate"),
    path("grant/places/", views.place_options, name="grant_place_options"),
]
