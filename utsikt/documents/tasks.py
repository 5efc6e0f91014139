"""Background work of the documents: rendering and sealing, by id."""

from __future__ import annotations

from django.tasks import task


@task
def render_agreement(version_id: int) -> None:
    from utsikt.documents.agreements import render_version

    render_version(version_id)


@task
def seal_agreement(version_id: int) -> None:
    from utsikt.documents.agreements import seal_version

    seal_version(version_id)


@task
def seal_certificates(application_id: int) -> None:
    from utsikt.documents.attendance import seal_certificates as work

    work(application_id)
