"""Invoices (/staff/invoices/): the documents the user's chambers issued, filtered by chamber,
kind, status and period, with the PDF and the UBL of each, and the period's exports for the
accountant (the CSV list, a zip of UBL files).

Staff of the issuing chamber read them (READ_ROLES, invoicing/permissions.py); a document of
another chamber is a 404. The exports take the list's filters and the same scope. Its chamber
admins credit an open invoice by hand with a reason (invoicing.services.invoice_credit_by_staff;
403 for other roles).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.base.views import run_service
from alliance.security import require_recent_authentication
from alliance.staff.base import StaffListView, staff_required
from invoicing import exports, pdf, permissions, services, ubl
from invoicing.filtersets import InvoiceFilterSet


class InvoiceListView(StaffListView):
    section = "invoices"
    template_name = "staff/invoices/list.html"
    filterset_class = InvoiceFilterSet
    context_object_name = "invoices"
    scope_filters = ("chamber",)

    def get_queryset(self):
        return permissions.visible_to_staff(self.request.user).order_by(
            "-issue_date", "chamber__name", "-sequence"
        )

    def decorate(self, rows):
        creditable = permissions.credit_chamber_ids(self.request.user)
        for invoice in rows:
            invoice.can_credit = (
                invoice.kind == invoice.Kind.INVOICE
                and invoice.status == invoice.Status.OPEN
                and invoice.chamber_id in creditable
            )
        return rows


invoice_list = InvoiceListView.as_view()


@require_POST
@staff_required
def invoice_credit(request, pk):
    invoice = get_object_or_404(permissions.visible_to_staff(request.user), pk=pk)
    note = run_service(
        request,
        lambda: services.invoice_credit_by_staff(
            invoice=invoice, actor=request.user, reason=request.POST.get("reason", "")
        ),
        success=lambda note: (
            _("Creditnota %(number)s crediteert factuur %(invoice)s.")
            % {"number": note.number, "invoice": invoice.number}
        ),
    )
    return redirect(reverse("staff:invoices") + (f"?q={note.number}" if note else ""))


def _filtered(request):
    filterset = InvoiceFilterSet(
        request.GET, queryset=permissions.visible_to_staff(request.user), request=request
    )
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


@require_GET
@staff_required
def invoice_export_csv(request):
    require_recent_authentication(request)  # companies' data and registrants' names leave
    rows = _filtered(request).order_by("chamber__slug", "kind", "year", "sequence")
    return _attachment(
        exports.csv_text(rows), "text/csv; charset=utf-8", f"facturen-{_stamp()}.csv"
    )


@require_GET
@staff_required
def invoice_export_ubl(request):
    require_recent_authentication(request)
    return _attachment(
        exports.ubl_zip(_filtered(request)), "application/zip", f"facturen-ubl-{_stamp()}.zip"
    )


def _document(request, pk):
    return get_object_or_404(permissions.visible_to_staff(request.user).for_document(), pk=pk)


@require_GET
@staff_required
def invoice_pdf(request, pk):
    invoice = _document(request, pk)
    return _attachment(pdf.document(invoice), "application/pdf", pdf.filename(invoice))


@require_GET
@staff_required
def invoice_ubl(request, pk):
    invoice = _document(request, pk)
    return _attachment(ubl.document(invoice), "application/xml", ubl.filename(invoice))
