from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Only the `load_demo` command: it loads every app's demo data, so it sits above them all."""

    name = "utsikt.demo"
    label = "demo"
    verbose_name = _("Demo data")
