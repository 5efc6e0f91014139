from django.urls import URLPattern, path

from utsikt.core import views

app_name = "core"

urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("health/", views.health_check, name="health"),
    path("ping", views.ping, name="ping"),
]
