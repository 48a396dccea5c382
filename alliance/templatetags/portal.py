"""Dates and money the Belgian way, in the reader's language (UI.md: "di 7 okt. 2025, 09:30")."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"


def _language() -> str:
    return (get_language() or "nl")[:2]


def _month_abbreviation(value) -> str:
    short, full = date_format(value, "b"), date_format(value, "F").lower()
    # "okt." but "mei": no dot where the abbreviation is the whole word.
    return short if short == full else f"{short}."


@register.filter
def when(value) -> str:
    """di 7 okt. 2025, 09:30 · mar. 7 oct. 2025, 09:30 · Tue 7 Oct 2025, 09:30"""
    if not value:
        return ""
    value = timezone.localtime(value)
    if _language() == "en":
        return date_format(value, "D j M Y, H:i")
    return (
        f"{date_format(value, 'D j')} {_month_abbreviation(value)} {date_format(value, 'Y, H:i')}"
    )


@register.filter
def day(value) -> str:
    """di 7 okt. 2025"""
    if not value:
        return ""
    value = timezone.localtime(value) if hasattr(value, "tzinfo") else value
    if _language() == "en":
        return date_format(value, "D j M Y")
    return f"{date_format(value, 'D j')} {_month_abbreviation(value)} {date_format(value, 'Y')}"


@register.filter
def month_abbr(value) -> str:
    """okt. (for the date block on event cards)"""
    value = timezone.localtime(value)
    return date_format(value, "M") if _language() == "en" else _month_abbreviation(value)


@register.filter
def money(value) -> str:
    """€ 1.250,00 (nl) · 1 250,00 € (fr) · €1,250.00 (en); zero is free."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if amount == 0:
        return _("gratis")
    language = _language()
    if language == "en":
        return f"€{amount:,.2f}"
    whole, cents = f"{amount:,.2f}".split(".")
    if language == "fr":
        return whole.replace(",", NARROW_NO_BREAK_SPACE) + f",{cents}{NO_BREAK_SPACE}€"
    return f"€{NO_BREAK_SPACE}" + whole.replace(",", ".") + f",{cents}"
