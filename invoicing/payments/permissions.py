"""Who may do what with payments, written once (chambers.roles holds the role lookups).

- A company's people (its admins and its employees) see and pay its invoices; nobody else
  sees that they exist (a 404).
- A chamber's finance staff (chamber admins, roles.MEMBER_ROLES, and the alliance admins)
  upload its bank statements, see what they booked and what is open per company, and mark a
  flagged movement handled.
"""

from __future__ import annotations

from chambers import roles

FINANCE_ROLES = roles.MEMBER_ROLES


def person_of(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_pay(user, invoice) -> bool:
    """A person of the invoice's company."""
    person = person_of(user)
    return person is not None and person.company_id == invoice.company_id


def finance_chamber_ids(user) -> frozenset[int]:
    return roles.chamber_ids_where(user, FINANCE_ROLES)


def may_manage_payments(user) -> bool:
    """Finance staff somewhere (from the roles read once per request: no query of its own)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(role in FINANCE_ROLES for role, _ in roles.roles_held(user))
