"""Search the catalogue: one function, whichever database holds it (see results.py)."""

from utsikt.catalogue.search.results import *  # noqa: F403
