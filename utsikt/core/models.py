"""What core stores for every app: the named revisions caches are filed under."""

from __future__ import annotations

from django.db import models


class Revision(models.Model):
    """One named key that changes with every write that can change what its pages show.

    Results and pages are cached per process under this key (see revision.py and cache.py),
    so a cached page never outlives a change made by any process. A random key, unlike a
    counter, cannot come back after a rollback or a flushed test database.
    """

    name = models.CharField(max_length=40, unique=True)
    key = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.key}"
