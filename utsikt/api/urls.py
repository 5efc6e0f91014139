from django.urls import URLPattern, path

from utsikt.api import views

app_name = "api"

urlpatterns: list[URLPattern] = [
    path("api/estimate", views.estimate, name="estimate"),
]
