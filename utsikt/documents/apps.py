from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "utsikt.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from utsikt.documents import privacy  # noqa: F401  (connects its receivers)
