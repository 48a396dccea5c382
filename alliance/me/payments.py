"""Paying an invoice online from /me/: the pay page and the page the provider sends back to.

A person of the invoice's company may pay it (invoicing.payments.permissions.can_pay); anyone
else gets a 404 for it. The pay page shows what is due and the structured communication for a
transfer by hand; its button starts a payment (invoicing.payments.services.payment_start) and
goes to the provider's checkout. The return page says how it went: it asks the provider itself
when the webhook has not told yet.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from alliance.base.views import run_service
from alliance.me.views import person_required
from invoicing.models import Invoice, Payment
from invoicing.payments import PaymentProviderError
from invoicing.payments import permissions as payment_permissions
from invoicing.payments import services as payment_services


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Betaalwijze"),
        choices=Payment.Method.choices,
        initial=Payment.Method.BANCONTACT,
        widget=forms.RadioSelect,
    )


def _invoice_for(request, pk) -> Invoice:
    invoice = get_object_or_404(
        Invoice.objects.select_related("chamber", "company"), pk=pk, kind=Invoice.Kind.INVOICE
    )
    if not payment_permissions.can_pay(request.user, invoice):
        raise Http404
    return invoice


@never_cache
@person_required
def invoice_pay(request, person, pk):
    """What is due on one of my company's invoices, and the button to pay it online."""
    invoice = _invoice_for(request, pk)
    form = PayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        payment = run_service(
            request,
            lambda: payment_services.payment_start(
                invoice=invoice, method=form.cleaned_data["method"], actor=request.user
            ),
        )
        if payment:
            return redirect(payment.checkout_url)
        return redirect("me:invoice_pay", pk=invoice.pk)
    return render(
        request,
        "invoicing/me_invoice_pay.html",
        {
            "invoice": invoice,
            "form": form,
            "payments": list(invoice.payments.order_by("-created_at")[:10]),
            "section": "invoices",
        },
    )


@never_cache
@person_required
def payment_return(request, person, pk):
    """Where the provider's checkout sends the payer back: how the payment went."""
    payment = get_object_or_404(
        Payment.objects.select_related("invoice", "invoice__chamber"), pk=pk
    )
    if not payment_permissions.can_pay(request.user, payment.invoice):
        raise Http404
    if not payment.is_final and payment.provider_id:
        # The webhook may come after the payer: ask the provider ourselves (never the URL).
        try:
            payment = payment_services.payment_refresh(provider_id=payment.provider_id)
        except PaymentProviderError:
            messages.info(request, _("We kennen de uitslag van je betaling nog niet."))
    return render(
        request,
        "invoicing/me_payment_return.html",
        {"payment": payment, "invoice": payment.invoice, "section": "invoices"},
    )
