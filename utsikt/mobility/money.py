"""The money after the trip: the department's actual cost and the Erasmus+ reimbursement.

Money is `Decimal`: SEK and EUR to the öre and the cent. A reimbursement keeps the rate
(SEK per EUR) of the day Lund received the money and that day; its SEK amount is the euros
at that rate rounded once, half up, to the öre, and stored, so that every total adds stored
öre and agrees with the rows it sums.

A mobility is settled only when the ledger balances: the actual cost is recorded, the
reimbursement is recorded, and the euros reimbursed are the grant that stands (recomputed
from the actual dates, else the allocation).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from utsikt.accounts import access as people
from utsikt.accounts.models import OrgUnit, User
from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.mobility import workflow
from utsikt.mobility.homecoming import current_grant_eur
from utsikt.mobility.models import (
    ActualCost,
    Application,
    FacultyBudget,
    Reimbursement,
    Status,
)

CENT = Decimal("0.01")
# Money is recorded once the traveller is back, and may be corrected until it is settled.
RECORDABLE = (Status.COMPLETED,)


def in_sek(amount_eur: Decimal, rate: Decimal) -> Decimal:
    """Euros at a rate, rounded once, half up, to the öre."""
    return (amount_eur * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _may(actor: Actor, application: Application, *roles: str) -> None:
    if not workflow.relations(actor, application) & set(roles):
        raise workflow.NotAllowed(_("You cannot do this with this application."))
    if application.status not in RECORDABLE:
        raise workflow.TransitionRefused(
            _("Costs and reimbursements are recorded once the traveller is back home.")
        )


def record_actual_cost(
    *, application: Application, actor: Actor, amount_sek: Decimal
) -> ActualCost:
    """Finance records (or confirms) what the department actually paid for the mobility."""
    _may(actor, application, workflow.FINANCE)
    if amount_sek < 0:
        raise workflow.WorkflowError(_("A cost cannot be negative."))
    amount = amount_sek.quantize(CENT, rounding=ROUND_HALF_UP)
    assert actor.user_id is not None  # finance is a person
    with transaction.atomic():
        cost, _created = ActualCost.objects.update_or_create(
            application=application,
            defaults={"amount_sek": amount, "recorded_by_id": actor.user_id},
        )
        events.record(
            action="money.actual_cost_recorded",
            actor=actor,
            subject=application,
            payload={"amount_sek": str(amount)},
        )
    return cost


def record_reimbursement(
    *,
    application: Application,
    actor: Actor,
    amount_eur: Decimal,
    rate: Decimal,
    rate_date: datetime.date,
    paid_on: datetime.date,
) -> Reimbursement:
    """The office records the grant paid on to the department, with the dated rate used."""
    _may(actor, application, workflow.OFFICER)
    if amount_eur < 0:
        raise workflow.WorkflowError(_("The amount cannot be negative."))
    if rate <= 0:
        raise workflow.WorkflowError(_("Give the exchange rate as SEK for one euro."))
    if paid_on < rate_date:
        raise workflow.WorkflowError(
            _("The rate is that of the day Lund received the money, before it was paid on.")
        )
    eur = amount_eur.quantize(CENT, rounding=ROUND_HALF_UP)
    assert actor.user_id is not None
    with transaction.atomic():
        reimbursement, _created = Reimbursement.objects.update_or_create(
            application=application,
            defaults={
                "amount_eur": eur,
                "rate": rate,
                "rate_date": rate_date,
                "amount_sek": in_sek(eur, rate),
                "paid_on": paid_on,
                "recorded_by_id": actor.user_id,
            },
        )
        events.record(
            action="money.reimbursement_recorded",
            actor=actor,
            subject=application,
            payload={
                "amount_eur": str(eur),
                "rate": str(rate),
                "rate_date": rate_date.isoformat(),
                "amount_sek": str(reimbursement.amount_sek),
                "paid_on": paid_on.isoformat(),
            },
        )
    return reimbursement


def why_not_settled(application: Application) -> str | None:
    """What keeps the ledger from balancing for this mobility; None when it balances."""
    cost = ActualCost.objects.filter(application=application).first()
    reimbursement = Reimbursement.objects.filter(application=application).first()
    if cost is None and reimbursement is None:
        return str(_("Record the actual cost and the reimbursement before settling."))
    if cost is None:
        return str(_("Record the department's actual cost before settling."))
    if reimbursement is None:
        return str(_("Record the reimbursement to the department before settling."))
    grant = current_grant_eur(application)
    if grant is None or reimbursement.amount_eur != grant:
        return str(
            _("The ledger does not balance: %(paid)s EUR reimbursed for a grant of %(grant)s EUR.")
            % {"paid": reimbursement.amount_eur, "grant": grant if grant is not None else "–"}
        )
    return None


def set_faculty_budget(
    *, faculty: OrgUnit, call_year: int, amount_eur: Decimal, actor: Actor
) -> FacultyBudget:
    """The office sets its faculty's Erasmus+ allocation for a call year."""
    if (
        actor.user_id is None
        or not people.office_faculties(User.objects.get(pk=actor.user_id))
        .filter(pk=faculty.pk)
        .exists()
    ):
        raise workflow.NotAllowed(_("Only the faculty's International Office sets its budget."))
    if amount_eur < 0:
        raise workflow.WorkflowError(_("The amount cannot be negative."))
    amount = amount_eur.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    with transaction.atomic():
        budget, _created = FacultyBudget.objects.update_or_create(
            faculty=faculty, call_year=call_year, defaults={"amount_eur": amount}
        )
        events.record(
            action="budget.set",
            actor=actor,
            subject=budget,
            payload={"call_year": call_year, "amount_eur": str(amount)},
        )
    return budget
