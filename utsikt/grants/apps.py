from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "utsikt.grants"
    label = "grants"
    verbose_name = _("Rules, rates and places")
