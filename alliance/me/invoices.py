"""My company's invoices and credit notes (/me/invoices/), with their PDF and UBL.

Any person of the company sees the company's own documents; another company's document is a
404 (invoicing/permissions.py).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from alliance.base.views import paginate
from alliance.me.views import person_required
from invoicing import pdf, permissions, ubl


@require_GET
@person_required
def invoices(request, person):
    documents = permissions.visible_to_company(person.company).select_related("credited_invoice")
    return render(
        request,
        "members/me_invoices.html",
        {
            "person": person,
            "page": paginate(request, documents, 25),
            "section": "invoices",
        },
    )


def _download(request, person, pk, render_document, filename, content_type):
    invoice = get_object_or_404(
        permissions.visible_to_company(person.company).for_document(), pk=pk
    )
    response = HttpResponse(render_document(invoice), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(invoice)}"'
    return response


@require_GET
@person_required
def invoice_pdf(request, person, pk):
    return _download(request, person, pk, pdf.document, pdf.filename, "application/pdf")


@require_GET
@person_required
def invoice_ubl(request, person, pk):
    return _download(request, person, pk, ubl.document, ubl.filename, "application/xml")
