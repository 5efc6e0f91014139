"""E-mail goes through the real database task worker, after the transaction commits."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from utsikt.core.email import queue_email
from utsikt.core.testing import transactional


@transactional()
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_worker_sends_queued_email(tmp_path: object) -> None:
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        queue_email(to="maja.lindqvist@example.org", subject="Ämne", text="Hej Maja")
    assert DBTaskResult.objects.count() == 1

    outbox = tmp_path / "mail"  # type: ignore[operator]
    db_settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
    }
    if db_settings["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db_settings['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgresql://{db_settings['USER']}@{db_settings['HOST']}:{db_settings['PORT']}"
            f"/{db_settings['NAME']}"
        )
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    sent = "".join(path.read_text() for path in outbox.iterdir())
    assert "maja.lindqvist@example.org" in sent
    assert "Hej Maja" in sent
