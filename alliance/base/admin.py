"""The records of background work, for staff: what waits to be sent, what was sent, and what
failed for good."""

from celery import current_app
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.base import mail
from alliance.base.models import FailedTask, OutboxMessage, SentMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the tasks themselves: staff read them, nobody edits them by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "subject", "recipients", "name"]
    list_filter = ["name", "sent_at"]
    search_fields = ["recipients", "subject", "key"]
    date_hierarchy = "sent_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "recipients", "state", "attempts", "last_error"]
    list_filter = [
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
        "name",
    ]
    search_fields = ["recipients", "subject", "key"]
    date_hierarchy = "created_at"
    exclude = ["message"]
    actions = ["send_again"]

    @admin.display(description=_("toestand"))
    def state(self, obj):
        if obj.sent_at:
            return _("verzonden")
        if obj.failed_at:
            return _("opgegeven")
        return _("wacht")

    @admin.action(description=_("Opnieuw versturen"), permissions=["delete"])
    def send_again(self, request, queryset):
        """Given-up messages get a new series of attempts, once the cause is fixed."""
        count = mail.send_again(queryset)
        messages.success(
            request,
            ngettext(
                "%(count)d e-mail wordt opnieuw verstuurd.",
                "%(count)d e-mails worden opnieuw verstuurd.",
                count,
            )
            % {"count": count},
        )


@admin.register(FailedTask)
class FailedTaskAdmin(ReadOnlyAdmin):
    list_display = ["failed_at", "task_name", "exception_short", "retries", "requeued_at"]
    list_filter = ["task_name", ("requeued_at", admin.EmptyFieldListFilter)]
    search_fields = ["task_name", "task_id", "exception"]
    date_hierarchy = "failed_at"
    actions = ["requeue"]

    @admin.display(description=_("fout"))
    def exception_short(self, obj):
        return obj.exception[:120]

    @admin.action(description=_("Opnieuw in de wachtrij zetten"), permissions=["delete"])
    def requeue(self, request, queryset):
        """Run the chosen tasks again, with their own arguments (they are idempotent)."""
        requeued = 0
        for failed in queryset.filter(requeued_at__isnull=True):
            task = current_app.tasks.get(failed.task_name)
            if task is None:
                messages.error(
                    request, _("Taak %(name)s bestaat niet meer.") % {"name": failed.task_name}
                )
                continue
            try:
                task.apply_async(args=failed.args, kwargs=failed.kwargs)
            except Exception as error:  # eager mode runs the task here; it may fail again
                messages.error(request, f"{failed.task_name}: {error!r}")
                continue
            failed.requeued_at = timezone.now()
            failed.save(update_fields=["requeued_at"])
            requeued += 1
        if requeued:
            messages.success(
                request,
                ngettext(
                    "%(count)d taak staat opnieuw in de wachtrij.",
                    "%(count)d taken staan opnieuw in de wachtrij.",
                    requeued,
                )
                % {"count": requeued},
            )
