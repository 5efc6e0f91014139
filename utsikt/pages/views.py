"""The pages app's views: public pages (cached for anonymous visitors under the pages
revision), the returnee's story and ambassador pages, and the office's editing pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.forms import inlineformset_factory
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from utsikt.accounts.access import ADMINISTRATOR, Role
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import StaffCategory
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.core import access, cache, revision, signing
from utsikt.core.actors import Actor
from utsikt.core.language import is_english
from utsikt.grants.models import Country
from utsikt.mobility import access as mobility_access
from utsikt.mobility.models import Homecoming
from utsikt.pages import access as gates
from utsikt.pages import ambassadors, editing, maps, newsletter, rendering
from utsikt.pages.forms import (
    AmbassadorForm,
    AmbassadorMessageForm,
    AnswerForm,
    ContactForm,
    OfferStoryForm,
    OfficeForm,
    PageForm,
    StoryForm,
    SubscribeForm,
)
from utsikt.pages.models import Ambassador, Contact, Office, Page, PageVersion, Story, Subscriber

REVISION = editing.REVISION
STORY_FILTERS = ("category", "country", "host")
EDITORS = (Role.OFFICER, ADMINISTRATOR)


def _no_query(query_string: str) -> str:
    return ""


def _story_query(query_string: str) -> str:
    data = QueryDict(query_string)
    return urlencode([(name, data.get(name, "")[:120]) for name in STORY_FILTERS if data.get(name)])


def _cached(
    request: HttpRequest,
    template: str,
    make_context: Callable[[], dict[str, Any]],
    *,
    canonical_query: Callable[[str], str] = _no_query,
) -> HttpResponse:
    return cache.anonymous_page(
        request,
        template,
        make_context,
        revision=revision.current(REVISION),
        canonical_query=canonical_query,
    )


# ---------------------------------------------------------------------------------------------
# Information pages


@access.public
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every information page, and the ways into stories, ambassadors, contacts, newsletter."""

    def make_context() -> dict[str, Any]:
        return {"pages": list(Page.objects.filter(published=True))}

    return _cached(request, "pages/index.html", make_context)


@access.public
@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    if gates.is_editor(request.user):
        return render(
            request, "pages/page.html", {"page": gates.page_for(request.user, slug), "editor": True}
        )

    def make_context() -> dict[str, Any]:
        return {"page": gates.page_for(request.user, slug)}

    return _cached(request, "pages/page.html", make_context)


# ---------------------------------------------------------------------------------------------
# Stories


def _story_filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "")[:120] for name in STORY_FILTERS}


@access.public
@require_safe
def stories(request: HttpRequest) -> HttpResponse:
    """Published stories, filterable by staff category, country and host."""

    def make_context() -> dict[str, Any]:
        chosen = _story_filters(request)
        published = Story.objects.published().select_related("host", "country")
        found = published
        if chosen["category"]:
            found = found.filter(staff_category=chosen["category"])
        if chosen["country"]:
            found = found.filter(country_id=chosen["country"].upper()[:2])
        if chosen["host"]:
            found = found.filter(host__slug=chosen["host"])
        all_published = list(published)
        categories = dict(StaffCategory.choices)
        return {
            "stories": list(found),
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "categories": sorted(
                {
                    (s.staff_category, str(categories[s.staff_category]))
                    for s in all_published
                    if s.staff_category in categories
                },
                key=lambda c: c[1],
            ),
            "countries": sorted(
                {(s.country_id, s.country.name) for s in all_published if s.country},
                key=lambda c: c[1],
            ),
            "hosts": sorted(
                {(s.host.slug, s.host.name) for s in all_published if s.host}, key=lambda h: h[1]
            ),
        }

    return _cached(request, "pages/stories.html", make_context, canonical_query=_story_query)


def catalogue_link(story: Story) -> str:
    """ "Go where they went": the host's page in the catalogue, else a search in the country."""
    if story.host and story.host.status == HostOrganisation.Status.APPROVED:
        return reverse("catalogue:host_detail", kwargs={"slug": story.host.slug})
    query = []
    if story.country_id:
        query.append(("country", story.country_id))
    if story.staff_category:
        query.append(("category", story.staff_category))
    return reverse("catalogue:search") + ("?" + urlencode(query) if query else "")


@access.public
@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    def make_context() -> dict[str, Any]:
        found = gates.story_for(request.user, slug)
        eligible = True
        if found.country_id:
            eligible = Country.objects.filter(
                pk=found.country_id,
                programme_status__in=[Country.Status.EU, Country.Status.ASSOCIATED],
            ).exists()
        return {
            "story": found,
            "catalogue_url": catalogue_link(found),
            "destination_open": eligible,
            "ambassador": Ambassador.objects.filter(story=found).select_related("user").first(),
            "editor": gates.is_editor(request.user),
        }

    if gates.is_editor(request.user):
        return render(request, "pages/story.html", make_context())
    return _cached(request, "pages/story.html", make_context)


@access.public
@require_safe
def story_photo(request: HttpRequest, slug: str) -> HttpResponse:
    """A story's photo, as stored after re-encoding (always a JPEG); only where the story is
    visible to the reader."""
    found = gates.story_for(request.user, slug)
    if not found.photo:
        raise Http404
    try:
        with found.photo.open("rb") as photo:
            data = photo.read()
    except OSError:
        raise Http404 from None
    response = HttpResponse(data, content_type="image/jpeg")
    if found.status == Story.Status.PUBLISHED:
        response["Cache-Control"] = "public, max-age=3600"
    return response


@access.signed_in
def offer_story(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The returnee offers the story of their mobility, with explicit consent."""
    application = mobility_access.own_application_for(request.user, pk)
    if application.status not in editing.RETURNED:
        raise Http404
    existing = Story.objects.filter(application=application).first()
    if existing is not None and existing.status == Story.Status.PUBLISHED:
        return render(
            request, "pages/offer_story.html", {"published": existing, "application": application}
        )
    initial = {}
    if existing is not None:
        initial = {
            name: getattr(existing, name) for name in ("title_sv", "title_en", "body_sv", "body_en")
        }
    else:
        # What they wrote in the after-trip checklist, when they offered it as a story.
        report = (
            Homecoming.objects.filter(application=application, offered_as_story=True)
            .values_list("learning_report", flat=True)
            .first()
        )
        if report:
            initial = {"body_en" if is_english() else "body_sv": report}
    form = OfferStoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        editing.offer_story(application=application, user=request.user, fields=data, consent=True)
        messages.success(
            request,
            _("Thank you! The International Office will read your story and publish it."),
        )
        return redirect("pages:returnee")
    return render(
        request,
        "pages/offer_story.html",
        {"form": form, "application": application, "existing": existing},
    )


# ---------------------------------------------------------------------------------------------
# Ambassadors


@access.public
@require_safe
def ambassador_list(request: HttpRequest) -> HttpResponse:
    """Returnees who are glad to talk; no address is shown, messages go through Utsikt."""

    def make_context() -> dict[str, Any]:
        return {
            "ambassadors": list(
                Ambassador.objects.select_related("user", "story", "story__country")
            ),
            "categories": dict(StaffCategory.choices),
        }

    return _cached(request, "pages/ambassadors.html", make_context)


@access.signed_in
def ambassador_contact(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    ambassador = get_object_or_404(Ambassador.objects.select_related("user"), pk=pk)
    if ambassador.user_id == request.user.pk:
        raise Http404
    form = AmbassadorMessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ambassadors.contact(
                ambassador=ambassador, sender=request.user, text=form.cleaned_data["text"]
            )
        except ambassadors.TooManyMessages:
            # The text stays in the form: nothing typed is lost.
            form.add_error(
                None,
                _(
                    "You have written to ambassadors as often as you can for now, so this "
                    "message was not sent. It is kept below: please send it again later."
                ),
            )
            status = 429
        else:
            messages.success(
                request,
                _("Your message is on its way. You will get the answer by e-mail."),
            )
            return redirect("pages:ambassadors")
    return render(
        request,
        "pages/ambassador_contact.html",
        {"ambassador": ambassador, "form": form},
        status=status,
    )


@access.signed_in
def ambassador_answer(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    message = gates.message_for_ambassador(request.user, pk)
    form = AnswerForm(request.POST or None, initial={"text": message.answer})
    if request.method == "POST" and form.is_valid():
        ambassadors.answer(message=message, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your answer was sent, with your e-mail address to reply to."))
        return redirect("pages:returnee")
    return render(request, "pages/ambassador_answer.html", {"message": message, "form": form})


@access.signed_in
def returnee(request: AuthenticatedRequest) -> HttpResponseBase:
    """After a mobility: offer its story, become an ambassador or stop being one."""
    user = request.user
    ambassador = Ambassador.objects.filter(user=user).first()
    may = ambassadors.may_become(user)
    form = AmbassadorForm(request.POST or None, instance=ambassador)
    if request.method == "POST" and may and form.is_valid():
        ambassadors.opt_in(
            user=user,
            topics_sv=form.cleaned_data["topics_sv"],
            topics_en=form.cleaned_data["topics_en"],
        )
        messages.success(request, _("You are listed as an ambassador. Thank you!"))
        return redirect("pages:returnee")
    mobilities = editing.returned_mobilities(user)
    offered = {s.application_id: s for s in Story.objects.filter(application__in=mobilities)}
    inbox = list(
        ambassador.messages.select_related("sender")[:20] if ambassador is not None else []
    )
    return render(
        request,
        "pages/returnee.html",
        {
            "may_become": may,
            "ambassador": ambassador,
            "form": form,
            "mobilities": [(m, offered.get(m.pk)) for m in mobilities],
            "inbox": inbox,
        },
    )


@access.signed_in
@require_POST
def ambassador_leave(request: AuthenticatedRequest) -> HttpResponseBase:
    if ambassadors.opt_out(user=request.user):
        messages.success(request, _("You are no longer listed as an ambassador."))
    return redirect("pages:returnee")


# ---------------------------------------------------------------------------------------------
# Contacts


@access.public
@require_safe
def contacts(request: HttpRequest) -> HttpResponse:
    def make_context() -> dict[str, Any]:
        return {
            "offices": list(
                Office.objects.select_related("faculty")
                .prefetch_related("contacts")
                .order_by("faculty__name_sv")
            )
        }

    return _cached(request, "pages/contacts.html", make_context)


@access.public
@require_safe
def office(request: HttpRequest, code: str) -> HttpResponse:
    def make_context() -> dict[str, Any]:
        found = gates.office_for(code)
        drawn = None
        if found.latitude is not None and found.longitude is not None:
            drawn = maps.office_map(found.latitude, found.longitude)
        return {"office": found, "people": list(found.contacts.all()), "map": drawn}

    return _cached(request, "pages/office.html", make_context)


# ---------------------------------------------------------------------------------------------
# Newsletter


@access.public
@csrf_exempt
def newsletter_signup(request: HttpRequest) -> HttpResponseBase:
    """Sign up: the same answer for every address, and a confirmation link by e-mail.

    No CSRF token (the page is cached for anonymous visitors, like the language switch): a
    forged sign-up can do no more than anyone typing an address, which is to send that
    address one confirmation e-mail a day, and only its owner can confirm it.
    """
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            newsletter.ask_to_subscribe(
                address=data["email"],
                interests=newsletter.Interests(
                    staff_categories=tuple(data["staff_categories"]),
                    countries=tuple(data["countries"]),
                    topics=tuple(data["topics"]),
                ),
                language=get_language() or "sv",
            )
            return redirect("pages:newsletter_sent")
        return render(request, "pages/newsletter.html", {"form": form})
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return _cached(request, "pages/newsletter.html", lambda: {"form": SubscribeForm()})


@access.public
@require_safe
def newsletter_sent(request: HttpRequest) -> HttpResponse:
    return _cached(request, "pages/newsletter_sent.html", dict)


@access.public
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link in the confirmation e-mail: a button confirms (a link scanner's GET does not)."""
    try:
        data = newsletter.read_confirmation(token)
    except signing.InvalidToken:
        return render(request, "pages/newsletter_invalid.html", status=404)
    if request.method == "POST":
        newsletter.confirm(token=token)
        return render(request, "pages/newsletter_confirmed.html")
    return render(request, "pages/newsletter_confirm.html", {"address": data.get("e", "")})


@access.public
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_unsubscribe(request: HttpRequest, token: str) -> HttpResponseBase:
    """One click: a POST (the mail program's, RFC 8058, or the button) unsubscribes at once.

    The answer is the same whether the address was subscribed or not.
    """
    try:
        signing.read_token(newsletter.UNSUBSCRIBE, token, max_age=None)
    except signing.InvalidToken:
        return render(request, "pages/newsletter_invalid.html", status=404)
    if request.method == "POST":
        newsletter.unsubscribe(token=token)
        return render(request, "pages/newsletter_unsubscribed.html")
    return render(request, "pages/newsletter_unsubscribe.html")


WEEK = re.compile(r"^\d{4}-W\d{2}$")


@access.public
@require_safe
def newsletter_issue(request: HttpRequest, week: str) -> HttpResponse:
    """The digest of one week on the web: everything new, for everyone."""
    if not WEEK.match(week):
        raise Http404
    try:
        newsletter.week_bounds(week)
    except ValueError:
        raise Http404 from None

    def make_context() -> dict[str, Any]:
        return {"issue": newsletter.issue(week), "week": week}

    return _cached(request, "pages/newsletter_issue.html", make_context)


@access.holds_role(*EDITORS)
@require_safe
def subscribers_export(request: AuthenticatedRequest) -> HttpResponse:
    response = HttpResponse(newsletter.export_csv(), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="newsletter-subscribers-{day}.csv"'
    return response


# ---------------------------------------------------------------------------------------------
# The office: pages, stories, contacts


@access.holds_role(*EDITORS)
@require_safe
def office_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "pages/office_home.html",
        {
            "pages": list(Page.objects.all()),
            "offered": list(Story.objects.filter(status=Story.Status.OFFERED)),
            "stories": list(Story.objects.exclude(status=Story.Status.OFFERED)),
            "offices": gates.editable_offices(request.user),
            "subscribers": Subscriber.objects.count(),
            "last_week": newsletter.week_of(timezone.localdate() - datetime.timedelta(days=7)),
        },
    )


@access.holds_role(*EDITORS)
def page_edit(request: AuthenticatedRequest, slug: str | None = None) -> HttpResponseBase:
    """Swedish and English side by side; "Preview" shows both rendered without saving."""
    found = get_object_or_404(Page, slug=slug) if slug else None
    form = PageForm(
        request.POST or None,
        instance=found,
        initial={"version": found.version if found else None},
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = {
                "sv": rendering.to_html(form.cleaned_data["body_sv"]),
                "en": rendering.to_html(form.cleaned_data["body_en"]),
            }
        else:
            try:
                saved = editing.save_page(
                    page=form.save(commit=False),
                    actor=Actor.of(request.user),
                    based_on=form.cleaned_data.get("version"),
                )
            except editing.StaleVersion:
                form.add_error(
                    None,
                    _(
                        "Someone saved this page after you opened it. Copy your text, reload "
                        "the page and make your change again."
                    ),
                )
            else:
                messages.success(request, _("The page is saved."))
                return redirect("pages:page", slug=saved.slug)
    return render(
        request, "pages/page_form.html", {"form": form, "page": found, "preview": preview}
    )


@access.holds_role(*EDITORS)
@require_safe
def page_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Page, slug=slug)
    return render(
        request,
        "pages/page_history.html",
        {"page": found, "versions": list(found.versions.select_related("saved_by"))},
    )


@access.holds_role(*EDITORS)
@require_POST
def page_restore(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponseBase:
    found = get_object_or_404(Page, slug=slug)
    version = get_object_or_404(PageVersion, page=found, number=number)
    editing.restore_page(page=found, version=version, actor=Actor.of(request.user))
    messages.success(request, _("The earlier text is current again, as a new version."))
    return redirect("pages:page_history", slug=slug)


@access.holds_role(*EDITORS)
def story_edit(request: AuthenticatedRequest, slug: str | None = None) -> HttpResponseBase:
    found = get_object_or_404(Story, slug=slug) if slug else None
    form = StoryForm(request.POST or None, request.FILES or None, instance=found)
    if request.method == "POST" and form.is_valid():
        saved = editing.save_story(story=form.save(commit=False), actor=Actor.of(request.user))
        messages.success(request, _("The story is saved."))
        return redirect("pages:story", slug=saved.slug)
    return render(request, "pages/story_form.html", {"form": form, "story": found})


@access.holds_role(*EDITORS)
@require_POST
def story_publish(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    found = get_object_or_404(Story, slug=slug)
    try:
        editing.publish_story(story=found, actor=Actor.of(request.user))
    except ValueError:
        messages.error(request, _("Describe the photo in both languages before publishing."))
    else:
        messages.success(request, _("The story is published."))
    return redirect("pages:story", slug=slug)


@access.holds_role(*EDITORS)
@require_POST
def story_unpublish(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    found = get_object_or_404(Story, slug=slug)
    editing.unpublish_story(story=found, actor=Actor.of(request.user))
    messages.success(request, _("The story is no longer public."))
    return redirect("pages:story", slug=slug)


ContactFormSet = inlineformset_factory(Office, Contact, form=ContactForm, extra=1, can_delete=True)


@access.holds_role(*EDITORS)
def office_edit(request: AuthenticatedRequest, code: str) -> HttpResponseBase:
    found = gates.office_for_editing(request.user, code)
    form = OfficeForm(request.POST or None, instance=found)
    people = ContactFormSet(request.POST or None, instance=found, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        actor = Actor.of(request.user)
        editing.save_office(office=form.save(commit=False), actor=actor)
        for contact in people.save(commit=False):
            editing.save_contact(contact=contact, actor=actor)
        for removed in people.deleted_objects:
            editing.remove_contact(contact=removed, actor=actor)
        messages.success(request, _("The contact details are saved."))
        return redirect("pages:office", code=code)
    return render(
        request, "pages/office_form.html", {"office": found, "form": form, "people": people}
    )


# ---------------------------------------------------------------------------------------------
# The start page (core's start view calls this through settings.UTSIKT_START_PAGE)


def start_page(request: HttpRequest) -> HttpResponse:
    """The start page with what is true today: stories, ambassadors, the next staff weeks."""
    from utsikt.catalogue.search import index as search_index

    pages_revision = revision.current(REVISION)
    catalogue_revision = search_index.current_revision()
    key = (
        f"{pages_revision}:{catalogue_revision}" if pages_revision and catalogue_revision else None
    )

    def make_context() -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "stories": list(Story.objects.published().select_related("country", "host")[:3]),
            "ambassadors": list(Ambassador.objects.select_related("user")[:4]),
            "staff_weeks": list(
                Opportunity.objects.upcoming(today)
                .filter(kind=Opportunity.Kind.STAFF_WEEK, start_date__gte=today)
                .select_related("host", "country", "place")
                .order_by("start_date")[:4]
            ),
            "categories": dict(StaffCategory.choices),
            "info_slugs": set(Page.objects.filter(published=True).values_list("slug", flat=True)),
        }

    return cache.anonymous_page(
        request, "core/start.html", make_context, revision=key, canonical_query=_no_query
    )
