"""Factories for people and units, shared by the tests and the demo data."""

from __future__ import annotations

from typing import Any

import factory

from utsikt.accounts.models import OrgUnit, RoleAssignment, StaffCategory, User


class UniversityFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = OrgUnit.Kind.UNIVERSITY
    code = "lu"
    name_sv = "Lunds universitet"
    name_en = "Lund University"
    city = "Lund"
    country = "SE"


class FacultyFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = OrgUnit.Kind.FACULTY
    parent = factory.SubFactory(UniversityFactory)
    code = factory.Sequence(lambda n: f"faculty-{n}")
    name_sv = factory.Sequence(lambda n: f"Fakultet {n}")
    name_en = factory.Sequence(lambda n: f"Faculty {n}")
    city = "Lund"
    office_name_sv = factory.LazyAttribute(lambda o: f"Internationella kontoret, {o.name_sv}")
    office_name_en = factory.LazyAttribute(lambda o: f"International Office, {o.name_en}")
    office_email = factory.LazyAttribute(lambda o: f"international.{o.code}@example.org")


class DepartmentFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = OrgUnit.Kind.DEPARTMENT
    parent = factory.SubFactory(FacultyFactory)
    code = factory.Sequence(lambda n: f"department-{n}")
    name_sv = factory.Sequence(lambda n: f"Institution {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    city = "Lund"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    department = factory.SubFactory(DepartmentFactory)
    staff_category = StaffCategory.ADMINISTRATOR
    languages = "svenska, engelska"

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        # `password__hashed=...`: a hash made once for many people (see accounts.demo).
        if kwargs.get("hashed"):
            obj.password = kwargs["hashed"]
        else:
            obj.set_password(extracted or "correct horse battery staple")
        if create:
            obj.save(update_fields=["password"])


class RoleFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment
        django_get_or_create = ("user", "role", "unit")

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.MANAGER
    unit = factory.SubFactory(DepartmentFactory)
