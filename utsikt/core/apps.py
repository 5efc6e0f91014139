from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "utsikt.core"
    label = "core"
