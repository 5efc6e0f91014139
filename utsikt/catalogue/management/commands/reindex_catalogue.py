"""Rebuild the catalogue's full-text index, and let cached searches go.

    manage.py reindex_catalogue

Run it after changing how opportunities are indexed, for instance after adding words to
catalogue/data/swedish_words.txt (the words compounds are split into).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from utsikt.catalogue.search import index as search_index


class Command(BaseCommand):
    help = "Rebuild the catalogue's full-text index."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = search_index.reindex()
            search_index.bump_revision()
        self.stdout.write(f"Indexed {count} opportunities.")
