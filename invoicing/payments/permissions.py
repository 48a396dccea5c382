"""Who may do what with payments, written once (chambers.roles holds the role lookups).

- A company's people (its admins and its employees) see and pay its invoices; nobody else
  sees that they exist (a 404).
- A chamber's finance staff (chamber admins, roles.MEMBER_ROLES, and the alliance admins)
  upload its bank statements, see what they booked and what is open per company, and mark a
  flagged movement handled.
"""

from __future__ import annotations

from chambers import roles
from invoicing.permissions import INVOICE_WRITE_ROLES, credit_chamber_ids

# The staff who credit a chamber's invoices are the ones who handle its money: one rule.
FINANCE_ROLES = INVOICE_WRITE_ROLES


def person_of(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_pay(user, invoice) -> bool:
    """A person of the invoice's company."""
    person = person_of(user)
    return person is not None and person.company_id == invoice.company_id


finance_chamber_ids = credit_chamber_ids


def may_manage_payments(user) -> bool:
    """Finance staff somewhere (from the roles read once per request: no query of its own)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(role in FINANCE_ROLES for role, _ in roles.roles_held(user))
