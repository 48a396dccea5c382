"""The payments side in Django's admin: read-only, for alliance admins looking into a case (a
payment with a problem, a statement's movements). Every change goes through the services."""

from django.contrib import admin

from alliance.base.admin import ReadOnlyAdmin
from invoicing.payments.models import BankStatement, BankTransaction, Payment, PaymentReminder


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "invoice", "method", "amount", "status", "provider_id", "problem"]
    list_filter = ["status", "method", "provider"]
    search_fields = ["provider_id", "invoice__number", "invoice__buyer_name"]
    list_select_related = ["invoice"]
    raw_id_fields = ["invoice", "started_by"]


class BankTransactionInline(admin.TabularInline):
    model = BankTransaction
    extra = 0
    can_delete = False
    fields = ["value_date", "amount", "structured_communication", "counterparty_name", "outcome"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "chamber", "account", "statement_numbers", "file_name"]
    list_filter = ["chamber"]
    search_fields = ["account", "file_name"]
    inlines = [BankTransactionInline]


@admin.register(BankTransaction)
class BankTransactionAdmin(ReadOnlyAdmin):
    list_display = ["value_date", "amount", "outcome", "invoice", "counterparty_name", "handled_at"]
    list_filter = ["outcome", ("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["structured_communication", "counterparty_name", "communication"]
    list_select_related = ["invoice"]
    raw_id_fields = ["invoice", "statement", "handled_by"]


@admin.register(PaymentReminder)
class PaymentReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "invoice", "step", "days_overdue", "amount_due"]
    list_filter = ["step"]
    search_fields = ["invoice__number", "recipients"]
    list_select_related = ["invoice"]
