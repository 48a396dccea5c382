"""The named reads of invoicing, with their scoping."""

from __future__ import annotations

from django.db import models


class InvoiceQuerySet(models.QuerySet):
    def for_company(self, company):
        """A company's own documents, newest first: what /me/ shows."""
        return (
            self.filter(company=company)
            .select_related("chamber")
            .order_by("-issue_date", "-sequence")
        )

    def for_chambers(self, chamber_ids):
        """The documents issued by these chambers (None: every chamber)."""
        qs = self if chamber_ids is None else self.filter(chamber_id__in=chamber_ids)
        return qs.select_related("chamber", "company", "credited_invoice")

    def issued_between(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(issue_date__gte=start)
        if end:
            qs = qs.filter(issue_date__lte=end)
        return qs

    def for_document(self):
        """What the PDF and the UBL need in one go: the lines and the credited invoice."""
        return self.select_related("chamber", "company", "credited_invoice").prefetch_related(
            "lines"
        )

    def for_source(self, kind: str, source_id: int):
        """The invoice (not its credit notes) of what it bills: a membership period, a
        registration (Invoice.Source and the id). At most one, by a unique constraint."""
        return self.filter(kind="invoice", source_kind=kind, source_id=source_id)

    def dues_by_membership(self, membership_ids) -> dict:
        """Each membership period's dues invoice, by the period's id: what the membership pages
        show as paid or open (one query for any number of periods)."""
        invoices = self.filter(
            kind="invoice", source_kind="membership", source_id__in=list(membership_ids)
        )
        return {invoice.source_id: invoice for invoice in invoices}

    def open(self):
        return self.filter(kind="invoice", status="open")
