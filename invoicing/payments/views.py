"""The payment provider's webhook: the one page of the payments side that no person opens.

Mollie POSTs `id=tr_…` (form-encoded) whenever a payment changes, and again later while the
answer is not 2xx. The body is never trusted: the payment is fetched from the provider
(invoicing.payments.services.payment_refresh). CSRF-exempt (the provider has no token), POST
only, idempotent: the same call twice books nothing twice.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alliance.base.models import DomainError
from invoicing.payments import PaymentProviderError
from invoicing.payments.services import payment_refresh

logger = logging.getLogger(__name__)

PAYMENT_ID = re.compile(r"^tr_[A-Za-z0-9]{1,60}$")


@csrf_exempt
@require_POST
def webhook(request):
    payment_id = request.POST.get("id", "")
    if not PAYMENT_ID.match(payment_id):
        return HttpResponse(status=400)
    try:
        payment = payment_refresh(provider_id=payment_id)
    except PaymentProviderError as error:
        # Not booked: the provider calls again later (it retries while we answer an error).
        logger.warning("payment webhook for %s: %s", payment_id, error)
        return HttpResponse(status=503)
    except DomainError as error:
        logger.warning("payment webhook for %s refused: %s", payment_id, error.message)
        return HttpResponse(status=200)
    if payment is None:
        # Unknown here (another shop's, or made up): say nothing about which ids exist.
        logger.info("payment webhook for unknown %s", payment_id)
    return HttpResponse(status=200)
