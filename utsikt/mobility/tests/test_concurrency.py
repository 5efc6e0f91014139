"""Two people acting on the same application at once give exactly one transition.

32 separate processes, each with its own database connection, wait at a barrier and then
approve or reject the same submitted application at the same moment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from utsikt.accounts.models import User
from utsikt.core.testing import transactional
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status, Transition

PROCESSES = 32

ACTOR = """
import os, sys, time, django
django.setup()
from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.mobility import workflow
from utsikt.mobility.models import Application
number, pk, email, barrier = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
manager = User.objects.get(email=email)
plan = Application.objects.get(pk=pk)
print("ready", flush=True)
while not os.path.exists(os.path.join(barrier, "go")):
    time.sleep(0.005)
try:
    if number % 2:
        workflow.check(manager, plan, "approve")
        workflow.approve(application=plan, actor=Actor.of(manager))
    else:
        workflow.check(manager, plan, "reject")
        workflow.reject(application=plan, actor=Actor.of(manager), comment="Not this year.")
    print("success")
except workflow.TransitionRefused:
    print("refused")
"""


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@transactional()
def test_32_simultaneous_decisions_give_one_transition(
    personas: dict[str, User], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and 32 writers are a PostgreSQL matter; CI runs this on PostgreSQL")
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    env: dict[str, Any] = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    actors = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                ACTOR,
                str(n),
                str(plan.pk),
                personas["head_libraries"].email,
                str(tmp_path),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    # Each actor says "ready" once set up; an actor that died first gives an empty line.
    for actor in actors:
        assert actor.stdout is not None
        if actor.stdout.readline().strip() != "ready":
            _, err = actor.communicate()
            pytest.fail(f"an actor died before the start: {err.strip()[-300:]}")
    (tmp_path / "go").touch()
    outcomes = []
    for actor in actors:
        out, err = actor.communicate()
        outcomes.append(out.strip() if actor.returncode == 0 else f"error: {err.strip()[-300:]}")
    assert outcomes.count("success") == 1, outcomes
    assert outcomes.count("refused") == PROCESSES - 1, outcomes
    assert Transition.objects.filter(application=plan).count() == 1
    final = Application.objects.get(pk=plan.pk)
    assert final.status in {Status.MANAGER_APPROVED, Status.REJECTED}
    assert final.version == plan.version + 1
