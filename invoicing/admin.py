"""Invoicing in Django's admin. The payments side's models register in invoicing/payments/admin.py
(imported here: Django's autodiscovery looks for this module only)."""

from invoicing.payments import admin as payments_admin  # noqa: F401
