from django.urls import URLPattern, path

from utsikt.api import views

urlpatterns: list[URLPattern] = [
    path("api/estimate", views.estimate, name="api_estimate"),
]
