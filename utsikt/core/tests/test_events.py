"""The event log: who did what to which object, written with the change or not at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from utsikt.core import events
from utsikt.core.actors import Actor, ActorKind
from utsikt.core.models import Event


def test_a_person_a_host_contact_and_the_system_are_told_apart(db: None) -> None:
    team = Group.objects.create(name="Erasmus team")
    host = Actor.host_contact(name="Ana Sousa", email="ana@up.pt", token="link:17")
    events.record(action="group.signed", actor=host, subject=team, payload={"pages": 3})
    events.record(action="group.reminded", actor=Actor.system("reminders"), subject=team)
    signed, reminded = Event.objects.about(team)
    assert (signed.actor_kind, signed.actor_user, signed.actor_label) == (
        ActorKind.HOST_CONTACT,
        None,
        "Ana Sousa",
    )
    assert signed.subject == f"auth.group:{team.pk}"
    assert signed.detail("pages") == 3
    assert (reminded.actor_kind, reminded.actor_label) == (ActorKind.SYSTEM, "reminders")


def test_an_actor_must_be_one_of_the_three_kinds_whole() -> None:
    with pytest.raises(ValueError):
        Actor(kind=ActorKind.USER, name="Nobody")
    with pytest.raises(ValueError):
        Actor(kind=ActorKind.SYSTEM, name="reminders", user_id=4)
    with pytest.raises(ValueError):
        Actor.host_contact(name="Ana Sousa", email="ana@up.pt", token="")


def test_an_event_is_not_written_when_the_change_rolls_back(db: None) -> None:
    team = Group.objects.create(name="Erasmus team")
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.filter(pk=team.pk).update(name="Renamed")
        events.record(action="group.renamed", actor=Actor.system("test"), subject=team)
        raise RuntimeError("the change failed after the event was written")
    assert not Event.objects.exists()
    assert Group.objects.get(pk=team.pk).name == "Erasmus team"


def test_events_about_many_objects_are_written_at_once(db: None) -> None:
    teams = [Group.objects.create(name=f"Team {n}") for n in range(3)]
    assert events.record_each(
        action="group.archived", actor=Actor.system("archive"), subjects=teams
    )
    assert sorted(Event.objects.values_list("subject_id", flat=True)) == [t.pk for t in teams]
