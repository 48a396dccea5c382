"""Payments in the back-office (/staff/payments/): what is open per company, bank statements
(CODA) to upload, and the money in that needs a look (partial, too much, unknown).

For finance staff only (invoicing.payments.permissions: chamber admins and alliance admins):
anyone else with a staff role gets a 403. Each sees their own chambers' rows; a movement of
another chamber is a 404. The writes are invoicing.payments.services statement_import and
bank_transaction_handle.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.base.views import paginate, query_string, run_service
from alliance.staff.base import staff_required
from chambers.models import Chamber
from invoicing.payments import permissions, querysets, services
from invoicing.payments.models import BankTransaction

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
PROBLEMS_SHOWN = 20

finance_required = staff_required(permission=permissions.may_manage_payments)


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CODA-bestand"),
        help_text=_(
            "Het rekeninguittreksel zoals je bank het geeft (.cod of .txt, CODA versie 2)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("Dit bestand is te groot (hoogstens 5 MB)."))
        return upload


@require_http_methods(["GET"])
@finance_required
def payments_open(request):
    """What is open per company, the biggest amounts first."""
    chamber_ids = permissions.finance_chamber_ids(request.user)
    search = request.GET.get("q", "").strip()[:100]
    rows = querysets.open_per_company(chamber_ids, today=timezone.localdate(), search=search)
    page = paginate(request, rows)
    return render(
        request,
        "staff/payments/open.html",
        {
            "staff_section": "payments",
            "page": page,
            "rows": page.object_list,
            "search": search,
            "query_string": query_string(request),
            "to_check": querysets.transactions_to_check(chamber_ids).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@finance_required
def bank_statements(request):
    """Upload a CODA statement; the statements uploaded before, with what needs a look."""
    chamber_ids = permissions.finance_chamber_ids(request.user)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        statement = run_service(
            request,
            lambda: services.statement_import(
                chambers=Chamber.objects.filter(pk__in=chamber_ids),
                data=upload.read(),
                file_name=upload.name,
                actor=request.user,
            ),
            form=form,
        )
        if statement:
            counts = {
                outcome: statement.transactions.filter(outcome=outcome).count()
                for outcome in BankTransaction.Outcome.values
            }
            messages.success(
                request,
                _(
                    "Uittreksel ingelezen: %(paid)s betaald, %(partial)s gedeeltelijk, "
                    "%(overpaid)s te veel, %(unmatched)s niet herkend."
                )
                % counts,
            )
            return redirect("staff:bank_statements")
    page = paginate(request, querysets.statements_for(chamber_ids))
    return render(
        request,
        "staff/payments/statements.html",
        {"staff_section": "payments", "form": form, "page": page, "statements": page.object_list},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
@finance_required
def bank_transactions(request):
    """The money in that the reconciliation could not settle by itself."""
    chamber_ids = permissions.finance_chamber_ids(request.user)
    page = paginate(request, querysets.transactions_to_check(chamber_ids))
    return render(
        request,
        "staff/payments/to_check.html",
        {
            "staff_section": "payments",
            "page": page,
            "transactions": page.object_list,
            # A handful at most: shown whole above the movements.
            "payment_problems": list(
                querysets.payments_with_a_problem(chamber_ids)[:PROBLEMS_SHOWN]
            ),
        },
    )


@require_POST
@finance_required
def bank_transaction_handle(request, pk):
    try:
        run_service(
            request,
            lambda: services.bank_transaction_handle(
                transaction_id=pk,
                chamber_ids=permissions.finance_chamber_ids(request.user),
                actor=request.user,
            ),
            success=_("Gemarkeerd als afgehandeld."),
        )
    except BankTransaction.DoesNotExist:
        raise Http404 from None
    return redirect("staff:bank_transactions")
