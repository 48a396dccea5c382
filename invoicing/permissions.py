"""Who may see which invoices, written once for pages and exports.

- A company's people see the company's own documents (/me/invoices/), nobody else's: the
  list is the company's, a document of another company is a 404.
- Staff see the documents their chambers issued (READ_ROLES at the issuing chamber; alliance
  admins all), and export them for the accountant; its chamber admins (MEMBER_ROLES) credit an
  open invoice by hand.
"""

from __future__ import annotations

from chambers import roles
from invoicing.models import Invoice

INVOICE_READ_ROLES = roles.READ_ROLES
# Who corrects a chamber's invoices (a credit note by hand): its chamber admins, alliance admins.
INVOICE_WRITE_ROLES = roles.MEMBER_ROLES


def staff_chamber_ids(user) -> frozenset[int]:
    return roles.chamber_ids_where(user, INVOICE_READ_ROLES)


def visible_to_staff(user):
    """The documents of the chambers where `user` reads invoices."""
    return Invoice.objects.for_chambers(staff_chamber_ids(user))


def visible_to_company(company):
    return Invoice.objects.for_company(company)


def credit_chamber_ids(user) -> frozenset[int]:
    return roles.chamber_ids_where(user, INVOICE_WRITE_ROLES)
