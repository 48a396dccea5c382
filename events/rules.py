"""The price and terms a company gets at an event."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from chambers.models import Chamber
from events.models import Event
from members.models import Company
from members.selectors import member_terms_chamber_ids


@dataclass(frozen=True)
class Terms:
    """What a company pays at an event, and whether as a member (through which chamber)."""

    member_terms: bool
    price: Decimal
    via_chamber: Chamber | None = None


def terms_for(
    event: Event,
    company: Company | None,
    *,
    member_chambers: dict | None = None,
    on: datetime.date | None = None,
) -> Terms:
    """Member price for members of the organising chamber or of any chamber allied with it.

    Pass `member_chambers` (from member_terms_chamber_ids) to price many events with no extra
    query.
    """
    if member_chambers is None:
        member_chambers = member_terms_chamber_ids(company, on)
    home_chamber = member_chambers.get(event.organiser_id)
    if home_chamber is not None:
        return Terms(member_terms=True, price=event.member_price, via_chamber=home_chamber)
    return Terms(member_terms=False, price=event.non_member_price)


@dataclass(frozen=True)
class VatPrices:
    """A price as the portal stores it (excluding VAT), with the VAT on top."""

    excluding: Decimal
    rate: Decimal
    vat: Decimal
    including: Decimal


def price_with_vat(price: Decimal, rate: Decimal | None = None) -> VatPrices:
    """Event prices are excluding VAT (as Belgian B2B prices are quoted); the VAT is rounded
    to the cent, half up. The rate is EVENT_VAT_RATE (21 %) until invoicing sets one per product."""
    rate = Decimal(settings.EVENT_VAT_RATE if rate is None else rate)
    vat = (price * rate / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return VatPrices(excluding=price, rate=rate, vat=vat, including=price + vat)
