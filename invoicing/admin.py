from django.contrib import admin

from invoicing.models import FeeSchedule, Invoice, InvoiceCounter, InvoiceLine, Product

# The payments side's models register in invoicing/payments/admin.py.
from invoicing.payments import admin as payments_admin  # noqa: F401


class ReadOnly:
    """Invoices, their lines and the counters are shown, never written, in the admin: a
    document is issued complete by invoicing.services and corrected only by a credit note."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnly, admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ["position", "description", "quantity", "unit_price", "net_amount", "vat_rate"]
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "chamber",
        "buyer_name",
        "issue_date",
        "total_gross",
        "status",
        "sending_status",
    ]
    list_filter = ["kind", "status", "sending_status", "chamber"]
    search_fields = ["number", "buyer_name", "buyer_enterprise_number", "structured_communication"]
    date_hierarchy = "issue_date"
    list_select_related = ["chamber"]
    raw_id_fields = ["company", "credited_invoice"]
    inlines = [InvoiceLineInline]


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["chamber", "kind", "year", "last_number"]
    list_filter = ["kind", "year"]
    search_fields = ["chamber__name"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["chamber", "year", "tier", "annual_fee"]
    list_filter = ["year", "tier", "chamber"]
    search_fields = ["chamber__name"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["chamber", "kind", "vat_category", "vat_rate", "vat_exemption_reason"]
    list_filter = ["kind", "vat_category", "chamber"]
    search_fields = ["chamber__name", "name"]
