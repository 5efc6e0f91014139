from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "utsikt.mobility"
    label = "mobility"
    verbose_name = _("Mobilities")

    def ready(self) -> None:
        from utsikt.mobility import privacy  # noqa: F401  (connects its receivers)
