from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.core.actors import Actor
from utsikt.grants import rates
from utsikt.grants.values import Trip
from utsikt.mobility import workflow
from utsikt.mobility.estimate import trip_for
from utsikt.mobility.factories import PORTO, application, host
from utsikt.mobility.models import Application, Status

Clients = Callable[[str | None], Client]


def _plan_form(plan: Application, **changes: Any) -> dict[str, Any]:
    form = {
        "version": plan.version,
        "activity": "job_shadowing",
        "hosts": [h.pk for h in plan.hosts.all()],
        "start": "2027-05-03",
        "end": "2027-05-07",
        "travel_mode": "train",
        "objectives": "Learn the research data service.",
        "added_value": "We start one next year.",
        "activities": "Shadowing and consultations.",
        "outcomes": "A plan for our service.",
        "work_cover": "Anna covers the desk.",
        "visible_to_colleagues": "on",
    }
    form.update(changes)
    return form


def test_a_staff_member_starts_saves_and_submits_a_plan(
    personas: dict[str, User], client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("librarian")
    assert client.get(reverse("mobility:application_start")).status_code == 200
    response = client.post(reverse("mobility:application_start"))
    plan = Application.objects.get(applicant=personas["librarian"])
    assert response["Location"] == reverse("mobility:application_plan", args=[plan.pk])
    plan.hosts.add(host(**PORTO))
    saved = client.post(reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan))
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.objectives == "Learn the research data service."
    assert plan.version == 2
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(
            reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan, intent="submit")
        )
    plan.refresh_from_db()
    assert submitted.status_code == 302
    assert plan.status == Status.SUBMITTED, [m.message for m in submitted.wsgi_request._messages]
    assert plan.estimate["total_eur"] > 0
    assert plan.estimate["eligible"] is True
    # The detail page explains the saved estimate as the grant page does, part by part.
    detail = client.get(reverse("mobility:application_detail", args=[plan.pk])).content.decode()
    assert 'class="verdict verdict-yes"' in detail
    assert "Porto" in detail and "Vad Erasmus+ betalar" in detail
    # No normalbelopp is loaded for Portugal: the missing part is named and no net is shown.
    assert plan.estimate["department_cost"]["missing"]
    assert 'data-net="unknown"' in detail


def test_a_saved_estimate_without_the_engines_details_still_shows_its_total(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(
        applicant=personas["librarian"], status=Status.SUBMITTED, estimate={"total_eur": 1500}
    )
    response = client_for("librarian").get(reverse("mobility:application_detail", args=[plan.pk]))
    assert response.status_code == 200
    assert "1\u202f500" in response.content.decode()


def test_a_stale_second_tab_never_overwrites_and_keeps_the_typed_text(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    first_tab = _plan_form(plan, objectives="Written in the first tab.")
    second_tab = _plan_form(plan, objectives="Written in the second tab.")
    assert (
        client.post(reverse("mobility:application_plan", args=[plan.pk]), first_tab).status_code
        == 302
    )
    conflict = client.post(reverse("mobility:application_plan", args=[plan.pk]), second_tab)
    assert conflict.status_code == 409
    body = conflict.content.decode()
    assert "Written in the second tab." in body  # what they typed is still in the form
    assert "Written in the first tab." in body  # and the saved version is shown
    assert "<strong>Lägg till en värd</strong>" not in body  # no field the plan lacks
    plan.refresh_from_db()
    assert plan.objectives == "Written in the first tab."


def test_autosave_saves_and_answers_with_the_new_version(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    response = client_for("librarian").post(
        reverse("mobility:application_autosave", args=[plan.pk]),
        _plan_form(plan, outcomes="Autosaved outcome."),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.outcomes == "Autosaved outcome."
    body = response.content.decode()
    assert "Utkastet är sparat." in body
    assert f'value="{plan.version}"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body  # a fragment, not a page


def _two_hosts_in_porto() -> tuple[Any, Any]:
    university = host(**PORTO)
    school = host(name="Porto Business School", city="Porto", country="PT")
    return university, school


def test_a_host_is_found_by_typing_and_chosen_among_several_without_javascript(
    personas: dict[str, User], client_for: Clients
) -> None:
    university, school = _two_hosts_in_porto()
    plan = application(applicant=personas["librarian"], hosts=[])
    client = client_for("librarian")
    page = client.get(reverse("mobility:application_plan", args=[plan.pk])).content.decode()
    assert "Porto Business School" not in page  # only the chosen hosts are listed
    asked = client.post(
        reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan, add_host="porto")
    )
    assert asked.status_code == 422
    body = asked.content.decode()
    assert "Flera värdar passar in på ”porto”" in body
    assert f'value="{university.pk}"' in body and f'value="{school.pk}"' in body
    assert "Porto Business School, Porto (Portugal)" in body
    assert "Learn the research data service." in body  # nothing typed is lost
    ticked = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, hosts=[school.pk], add_host=""),
    )
    assert ticked.status_code == 302
    assert list(plan.hosts.all()) == [school]


def test_a_whole_name_adds_the_host_and_an_unknown_one_is_explained(
    personas: dict[str, User], client_for: Clients
) -> None:
    university, school = _two_hosts_in_porto()
    plan = application(applicant=personas["librarian"], hosts=[school])
    client = client_for("librarian")
    unknown = client.post(
        reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan, add_host="Atlantis")
    )
    assert unknown.status_code == 422
    assert "Ingen värd passar in på ”Atlantis”" in unknown.content.decode()
    added = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, add_host="universidade do porto"),
    )
    assert added.status_code == 302
    assert set(plan.hosts.all()) == {university, school}


def test_autosave_adds_a_host_chosen_from_the_suggestions_but_never_guesses(
    personas: dict[str, User], client_for: Clients
) -> None:
    university, _school = _two_hosts_in_porto()
    plan = application(applicant=personas["librarian"], hosts=[])
    client = client_for("librarian")
    url = reverse("mobility:application_autosave", args=[plan.pk])
    typing = client.post(url, _plan_form(plan, add_host="Universidade do"), HTTP_HX_REQUEST="true")
    assert "Utkastet är sparat." in typing.content.decode()
    assert not plan.hosts.exists()
    assert 'id="host-picker"' not in typing.content.decode()  # the box is left as typed
    plan.refresh_from_db()
    chosen = client.post(
        url, _plan_form(plan, add_host="Universidade do Porto"), HTTP_HX_REQUEST="true"
    )
    assert list(plan.hosts.all()) == [university]
    body = chosen.content.decode()
    assert '<div id="host-picker" hx-swap-oob="true">' in body
    assert f'value="{university.pk}"' in body and "checked" in body


def test_host_suggestions_are_approved_hosts_matching_name_or_city(
    personas: dict[str, User], client_for: Clients
) -> None:
    _university, school = _two_hosts_in_porto()
    HostOrganisation.objects.filter(pk=school.pk).update(status=HostOrganisation.Status.PROPOSED)
    client = client_for("librarian")
    options = client.get(reverse("mobility:host_options"), {"add_host": "porto"}).content.decode()
    expected = '<option value="Universidade do Porto">Universidade do Porto, Porto (Portugal)'
    assert expected in options
    assert "Porto Business School" not in options  # proposed, not yet approved
    assert client.get(reverse("mobility:host_options"), {"add_host": "p"}).content.strip() == b""


def test_bad_input_is_explained_and_nothing_saved_is_lost(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    response = client_for("librarian").post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(
            plan,
            start="2027-05-10",
            end="2027-05-01",
            origin_city="Atlantis",
            travel_cost_sek="-5",
            objectives="New text",
        ),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sista dagen ligger före den första." in body
    assert "Atlantis" in body
    assert "New text" in body
    plan.refresh_from_db()
    assert plan.objectives.startswith("Learn how the library")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("librarian", 200),
        ("head_libraries", 200),
        ("officer_ht", 200),
        ("finance_ht", 200),
        ("admin", 200),
        ("officer_s", 404),
        ("head_svet", 404),
        ("economist", 404),
        ("deputy_kultur", 404),
        ("finance_s", 404),
    ],
)
def test_an_application_is_seen_by_its_people_only(
    personas: dict[str, User], client_for: Clients, persona: str, status: int
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    assert (
        client_for(persona).get(reverse("mobility:application_detail", args=[plan.pk])).status_code
        == status
    )


def test_a_draft_is_private_to_its_author(personas: dict[str, User], client_for: Clients) -> None:
    plan = application(applicant=personas["librarian"])
    assert (
        client_for("librarian")
        .get(reverse("mobility:application_detail", args=[plan.pk]))
        .status_code
        == 200
    )
    for persona in ["head_libraries", "officer_ht", "finance_ht", "admin"]:
        response = client_for(persona).get(reverse("mobility:application_detail", args=[plan.pk]))
        assert response.status_code == 404, persona


def test_only_the_applicant_edits_the_plan(personas: dict[str, User], client_for: Clients) -> None:
    plan = application(applicant=personas["librarian"])
    for persona in ["head_libraries", "officer_ht", "admin"]:
        assert (
            client_for(persona)
            .get(reverse("mobility:application_plan", args=[plan.pk]))
            .status_code
            == 404
        )
        posted = client_for(persona).post(
            reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan)
        )
        assert posted.status_code == 404


def test_the_manager_sees_the_net_cost_and_decides_from_the_inbox(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(
        applicant=personas["librarian"],
        status=Status.SUBMITTED,
        estimate={
            "eligible": True,
            "total_eur": 1234,
            "department_cost": {"net_sek": 4321, "complete": True},
        },
    )
    manager = client_for("head_libraries")
    inbox = manager.get(reverse("mobility:manager_home")).content.decode()
    assert "Maja Lindqvist" in inbox and "4\u202f321" in inbox and "1\u202f234" in inbox
    response = manager.post(
        reverse("mobility:application_act", args=[plan.pk, "approve"]), {"comment": ""}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=plan.pk).status == Status.MANAGER_APPROVED
    assert (
        "Maja Lindqvist"
        not in manager.get(reverse("mobility:manager_home"))
        .content.decode()
        .split("Nyligen beslutade")[0]
    )


def test_an_action_someone_may_not_take_changes_nothing(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    response = client_for("officer_ht").post(
        reverse("mobility:application_act", args=[plan.pk, "approve"])
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=plan.pk).status == Status.SUBMITTED
    assert (
        client_for("librarian")
        .post(reverse("mobility:application_act", args=[plan.pk, "no_such_action"]))
        .status_code
        == 404
    )


def test_the_office_pipeline_filters_and_counts(
    personas: dict[str, User], client_for: Clients
) -> None:
    application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    application(applicant=personas["economist"], status=Status.SUBMITTED, activity="staff_week")
    application(applicant=personas["study_adviser"], status=Status.DRAFT)
    application(applicant=personas["it_technician"], status=Status.SUBMITTED)  # other faculty
    office = client_for("officer_ht")
    everything = office.get(reverse("mobility:office_home")).content.decode()
    assert "Maja Lindqvist" in everything and "Jonas Berg" in everything
    assert "Elin Nyström" not in everything  # drafts are private
    assert "Sara Holm" not in everything  # another faculty
    filtered = office.get(
        reverse("mobility:office_home"), {"activity": "staff_week"}
    ).content.decode()
    assert "Jonas Berg" in filtered and "Maja Lindqvist" not in filtered
    assert office.get(reverse("mobility:office_home"), {"status": "bogus"}).status_code == 200


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("librarian", "mobility:staff_home"),
        ("head_libraries", "mobility:manager_home"),
        ("officer_ht", "mobility:office_home"),
        ("finance_ht", "mobility:finance_home"),
    ],
)
def test_list_pages_make_the_same_number_of_queries_for_3_and_30_applications(
    personas: dict[str, User], client_for: Clients, persona: str, url_name: str
) -> None:
    client = client_for(persona)
    # Its CSRF cookie, so that both counts below are of the page rendered for the cache
    # (each follows a write, so neither comes from it).
    client.get(reverse(url_name))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    for _ in range(3):
        application(applicant=personas["librarian"], status=Status.SUBMITTED)
    few = queries()
    for _ in range(27):
        application(applicant=personas["librarian"], status=Status.SUBMITTED)
    assert queries() == few


def test_travelling_together_invitation_gives_the_colleague_a_linked_plan(
    personas: dict[str, User], client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from utsikt.mobility.models import Companion

    plan = application(
        applicant=personas["librarian"], visible_to_colleagues=True, status=Status.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for("librarian").post(
            reverse("mobility:application_invite", args=[plan.pk]),
            {"colleague": personas["economist"].pk},
        )
    assert mail.outbox[-1].to == ["jonas.berg@example.org"]
    colleague = client_for("economist")
    assert "Maja Lindqvist" in colleague.get(reverse("mobility:staff_home")).content.decode()
    invitation = Companion.objects.get()
    answered = colleague.post(
        reverse("mobility:invitation_answer", args=[invitation.pk]), {"answer": "accept"}
    )
    invitation.refresh_from_db()
    own = invitation.colleague_application
    assert own is not None and own.applicant == personas["economist"]
    assert answered["Location"] == reverse("mobility:application_plan", args=[own.pk])
    assert list(own.hosts.all()) == list(plan.hosts.all())
    # Visible plans show up for colleagues going to the same city.
    together = client_for("study_adviser").get(
        reverse("mobility:travelling_together"), {"city": "Porto"}
    )
    assert "Maja Lindqvist" in together.content.decode()


def test_a_grant_is_allocated_from_the_detail_page(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.MANAGER_APPROVED)
    office = client_for("officer_ht")
    page = office.get(reverse("mobility:application_detail", args=[plan.pk])).content.decode()
    assert 'name="amount_eur"' in page and 'value="1500"' in page
    office.post(
        reverse("mobility:application_act", args=[plan.pk, "grant"]), {"amount_eur": "1500"}
    )
    assert Application.objects.get(pk=plan.pk).status == Status.GRANTED
    refused = office.post(
        reverse("mobility:application_act", args=[plan.pk, "grant"]), {"amount_eur": "x"}
    )
    assert refused.status_code == 302


def test_the_signed_agreement_is_uploaded_and_downloaded_through_the_gate(
    personas: dict[str, User], client_for: Clients, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from utsikt.core.pdf import blank as blank_pdf

    settings.MEDIA_ROOT = tmp_path
    plan = application(applicant=personas["librarian"], status=Status.GRANTED)
    pdf = SimpleUploadedFile("signed.pdf", blank_pdf(), content_type="application/pdf")
    client_for("officer_ht").post(
        reverse("mobility:application_act", args=[plan.pk, "record_signed_agreement"]), {"pdf": pdf}
    )
    assert Application.objects.get(pk=plan.pk).status == Status.SIGNED
    download = client_for("librarian").get(
        reverse("mobility:application_agreement", args=[plan.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        client_for("officer_s")
        .get(reverse("mobility:application_agreement", args=[plan.pk]))
        .status_code
        == 404
    )


def test_plan_a_mobility_to_an_opportunity_prefills_host_dates_and_activity(
    personas: dict[str, User], client_for: Clients
) -> None:
    import datetime

    from utsikt.catalogue.curation import save_opportunity
    from utsikt.catalogue.models import Opportunity

    opportunity = save_opportunity(
        opportunity=Opportunity(
            kind="staff_week",
            title_sv="Staff Week för bibliotekarier",
            title_en="Library staff week",
            host=host(**PORTO),
            faculty=personas["officer_ht"].roles.get().unit,
            start_date=datetime.date(2027, 4, 12),
            end_date=datetime.date(2027, 4, 16),
            status="published",
            staff_categories={"librarian"},
            topics={"library"},
            languages={"en"},
        ),
        by=personas["officer_ht"],
    )
    client = client_for("librarian")
    page = client.get(reverse("mobility:application_start"), {"opportunity": opportunity.slug})
    assert opportunity.title in page.content.decode()
    client.post(reverse("mobility:application_start"), {"opportunity": opportunity.slug})
    plan = Application.objects.get(applicant=personas["librarian"])
    assert plan.opportunity == opportunity
    assert list(plan.hosts.all()) == [opportunity.host]
    assert plan.start == opportunity.start_date


def test_workflow_refusals_reach_the_user_as_messages(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    workflow.approve(application=plan, actor=Actor.of(personas["head_libraries"]))
    response = client_for("head_libraries").post(
        reverse("mobility:application_act", args=[plan.pk, "reject"]),
        {"comment": "No"},
        follow=True,
    )
    assert "Ansökan har gått vidare" in response.content.decode()


def test_travel_dates_count_the_travel_days_the_rules_fund(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    saved = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, travel_out="2027-05-01", travel_back="2027-05-08"),
    )
    assert saved.status_code == 302
    plan.refresh_from_db()
    trip = trip_for(plan, rates.for_call_year(plan.call_year))
    assert isinstance(trip, Trip) and trip.travel_days == 3  # two days before, one after
    wrong = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, travel_out="2027-05-05", travel_back="2027-05-06"),
    )
    assert wrong.status_code == 422
    body = wrong.content.decode()
    assert "Du reser dit senast första dagen." in body
    assert "Du reser hem tidigast sista dagen." in body


def test_the_origin_is_looked_up_in_the_country_given(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = client_for("librarian")
    # Two Hamms in Germany, none in Sweden: the country decides, and is needed.
    in_germany = client.post(
        reverse("mobility:application_plan", args=[plan.pk]),
        _plan_form(plan, origin_city="Hamm", origin_country="DE"),
    )
    assert in_germany.status_code == 302
    plan.refresh_from_db()
    assert plan.origin is not None and plan.origin.country_id == "DE"
    in_sweden = client.post(
        reverse("mobility:application_plan", args=[plan.pk]), _plan_form(plan, origin_city="Hamm")
    )
    assert in_sweden.status_code == 422
    plan.refresh_from_db()
    assert plan.origin is not None and plan.origin.country_id == "DE"


def test_a_plan_dated_at_the_end_of_time_is_refused_not_a_500(
    personas: dict[str, User], client_for: Clients
) -> None:
    plan = application(applicant=personas["librarian"])
    client = Client(raise_request_exception=True)
    client.force_login(personas["librarian"])
    for page in ("mobility:application_autosave", "mobility:application_plan"):
        response = client.post(
            reverse(page, args=[plan.pk]),
            _plan_form(plan, start="9999-12-30", end="9999-12-31"),
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code in {200, 422}, page
        plan.refresh_from_db()
        assert plan.start is None or plan.start.year < 9999
