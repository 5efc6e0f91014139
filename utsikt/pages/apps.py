from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "utsikt.pages"
    label = "pages"
    verbose_name = _("Pages, stories and newsletter")

    def ready(self) -> None:
        from utsikt.pages import privacy  # noqa: F401  (connects its receivers)
