"""Full-text search in Swedish and English, on whichever database runs the tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from utsikt.catalogue import curation, demo, search
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.catalogue.search import compounds, words

from .conftest import TODAY

MakeOpportunity = Callable[..., Opportunity]
MakeHost = Callable[..., HostOrganisation]


def slugs(query: str, filters: search.Filters | None = None, **options: object) -> list[str]:
    return [o.slug for o in search.search(query, filters, **options).rows]  # type: ignore[arg-type]


def test_a_librarian_finds_the_porto_staff_week_in_swedish_and_in_english(
    catalogue: dict[str, int],
) -> None:
    assert slugs("bibliotekarie Portugal")[0] == demo.PORTO_LIBRARY_WEEK
    assert slugs("librarian portugal")[0] == demo.PORTO_LIBRARY_WEEK
    assert demo.PORTO_LIBRARY_WEEK in slugs("personalvecka bibliotekarier")
    year = demo.spring(TODAY)
    spring = search.Filters(
        countries=("PT",),
        categories=("librarian",),
        kinds=(Opportunity.Kind.STAFF_WEEK,),
        months=tuple(datetime.date(year, month, 1) for month in (3, 4, 5)),
    )
    assert demo.PORTO_LIBRARY_WEEK in slugs("", spring)


def test_case_and_diacritics_do_not_matter(
    make_opportunity: MakeOpportunity, make_host: MakeHost
) -> None:
    host = make_host(name="Göteborgs stadsbibliotek", country="DK", city="Aarhus")
    make_opportunity(host=host, title_en="Week at Århus Public Library", slug="aarhus")
    assert slugs("GOTEBORGS") == ["aarhus"]
    assert slugs("arhus") == ["aarhus"]
    assert slugs("Århus") == ["aarhus"]


def test_swedish_and_english_endings_and_prefixes_match(make_opportunity: MakeOpportunity) -> None:
    make_opportunity(
        title_sv="Personalvecka för bibliotekarier",
        title_en="Staff week for libraries",
        slug="week",
    )
    for query in ("bibliotekarie", "bibliotekarierna", "library", "libraries", "bibliot"):
        assert slugs(query) == ["week"], query


def test_a_part_of_a_swedish_compound_finds_the_compound(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(
        title_sv="Vecka för universitetsbibliotekens personal",
        title_en="Week for university library staff",
        slug="library-week",
    )
    make_opportunity(
        title_sv="Informationssäkerhet i molntjänster",
        title_en="Security in the cloud",
        description_sv="För handläggare på kommunikationsavdelningen.",
        slug="security",
    )
    for query in ("bibliotek", "biblioteken", "säkerhet", "tjänster", "avdelning"):
        assert slugs(query) in (["library-week"], ["security"]), query
    assert slugs("avdelningen tjänst") == ["security"]
    # A part is a word of its own: "bibliotekens" is no "bibliotekarie".
    assert slugs("bibliotekarie") == []


def test_a_compound_asked_for_finds_its_parts_written_apart(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(
        title_sv="Data för forskning: en kurs",
        title_en="Data for research",
        slug="data",
    )
    make_opportunity(title_sv="Forskning utan data", slug="no-data-title", title_en="")
    assert slugs("forskningsdata") in (["data", "no-data-title"], ["no-data-title", "data"])
    assert slugs("forskningsdatakurs") == ["data"]
    assert search.search("forskningsdata").corrected_from == ""


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("universitetsbiblioteket", ("universitet", "biblioteket")),
        ("bibliotekspersonalen", ("bibliotek", "personalen")),
        ("forskningsdata", ("forskning", "data")),
        ("hogskolepersonal", ("hogskol", "personal")),
        ("personalveckor", ("personal", "veckor")),
        ("universitetsbibliotekspersonal", ("universitet", "bibliotek", "personal")),
        ("personal", ()),
        ("kommunikation", ()),
        ("samarbete", ()),
        ("informations", ()),
        ("forum", ()),
    ],
)
def test_compounds_split_at_known_words_and_others_stay_whole(
    word: str, parts: tuple[str, ...]
) -> None:
    assert compounds.split(word) == parts


def test_every_word_must_match(make_opportunity: MakeOpportunity) -> None:
    make_opportunity(title_en="Library week", slug="library")
    make_opportunity(title_en="IT security week", slug="security")
    assert slugs("library security") == []
    assert slugs("security week") == ["security"]


def test_a_misspelt_word_is_corrected_when_nothing_matches(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Library staff week", slug="week")
    result = search.search("libary")
    assert [o.slug for o in result.rows] == ["week"]
    assert result.corrected_from == "libary"
    assert search.search("quantum").total == 0


def test_words_in_the_title_rank_above_words_in_the_description(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(
        title_en="Communication week",
        description_en="Sustainability. " + "Long text. " * 40,
        slug="in-description",
    )
    make_opportunity(
        title_en="Sustainability week", slug="in-title", start=TODAY.replace(year=TODAY.year + 1)
    )
    assert slugs("sustainability") == ["in-title", "in-description"]


def test_drafts_and_cancelled_ones_are_not_listed_but_past_ones_are_history(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Draft week", status=Opportunity.Status.DRAFT, slug="draft")
    make_opportunity(
        title_en="Cancelled week", status=Opportunity.Status.CANCELLED, slug="cancelled"
    )
    make_opportunity(
        title_en="Past week",
        start=TODAY - datetime.timedelta(days=100),
        slug="past",
    )
    make_opportunity(title_en="Coming week", slug="coming")
    assert slugs("week") == ["coming"]
    assert set(slugs("week", search.Filters(include_past=True))) == {"coming", "past"}


def test_sorting_by_deadline_puts_the_soonest_first_and_no_deadline_last(
    make_opportunity: MakeOpportunity,
) -> None:
    start = TODAY + datetime.timedelta(days=90)
    make_opportunity(slug="none", deadline=None, start=start)
    make_opportunity(slug="late", deadline=start - datetime.timedelta(days=5), start=start)
    make_opportunity(slug="soon", deadline=start - datetime.timedelta(days=50), start=start)
    assert slugs("", sort=search.Sort.DEADLINE) == ["soon", "late", "none"]


def test_results_come_a_page_at_a_time(make_opportunity: MakeOpportunity) -> None:
    for number in range(search.PER_PAGE + 3):
        make_opportunity(slug=f"week-{number}", start=TODAY + datetime.timedelta(days=10 + number))
    first = search.search("", page=1)
    second = search.search("", page=2)
    beyond = search.search("", page=99)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (23, 2, 20, 3)
    assert {o.slug for o in first.rows}.isdisjoint({o.slug for o in second.rows})
    assert beyond.page == 2


def test_the_plain_scan_finds_the_same_as_the_full_text_index(
    make_opportunity: MakeOpportunity,
) -> None:
    make_opportunity(title_en="Library week", slug="library")
    make_opportunity(title_en="Finance week", slug="finance")
    assert slugs("library", engine=search.Engine.ICONTAINS) == slugs("library") == ["library"]


def test_a_renamed_host_is_found_by_its_new_name(
    make_opportunity: MakeOpportunity, make_host: MakeHost
) -> None:
    host = make_host(name="Old Name Institute")
    make_opportunity(host=host, slug="week")
    host.name = "Fresh Name Academy"
    curation.save_host(host=host, by=None)
    assert slugs("fresh academy") == ["week"]
    assert slugs("old institute") == []


def test_a_deleted_opportunity_leaves_the_index(make_opportunity: MakeOpportunity) -> None:
    opportunity = make_opportunity(title_en="Vanishing week", slug="gone")
    curation.delete_opportunities(
        opportunities=Opportunity.objects.filter(pk=opportunity.pk), by=None
    )
    assert search.search("vanishing").total == 0


@pytest.mark.parametrize(
    ("word", "stem"),
    [("bibliotekarier", "bibliotekari"), ("veckor", "veck"), ("libraries", "librar"), ("it", "it")],
)
def test_light_stemming_strips_one_common_ending(word: str, stem: str) -> None:
    assert words.light_stem(word) == stem
