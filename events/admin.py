from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from events.models import Event, Registration


class ReadOnlyRegistrations:
    """Registrations are shown, never written, in the admin: places, prices and the waiting
    list change only through events/services.py (its lock, capacity and e-mails). Staff act in
    /staff/."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegistrationInline(ReadOnlyRegistrations, admin.TabularInline):
    model = Registration
    extra = 0
    fields = [
        "person",
        "company",
        "status",
        "member_terms",
        "price",
        "waiting_list_position",
        "checked_in_at",
    ]
    readonly_fields = fields
    show_change_link = True


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = [
        "title",
        "starts_at",
        "kind",
        "organiser",
        "city",
        "status",
        "capacity",
        "places_taken",
    ]
    list_filter = ["status", "kind", "organiser", "audience", "centre", "country"]
    search_fields = ["title", "description", "city", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    filter_horizontal = ["co_organisers", "partners", "sectors"]
    autocomplete_fields = ["organiser", "centre"]
    inlines = [RegistrationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organiser").with_places_taken()

    @admin.display(description=_("bezet"), ordering="places_taken_count")
    def places_taken(self, obj):
        return obj.places_taken_count


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyRegistrations, admin.ModelAdmin):
    list_display = [
        "person",
        "company",
        "event",
        "status",
        "member_terms",
        "member_terms_chamber",
        "price",
        "waiting_list_position",
        "created_at",
    ]
    list_filter = ["status", "member_terms", "member_terms_chamber", "event__organiser"]
    search_fields = [
        "person__email",
        "person__last_name",
        "company__name",
        "event__title",
        "ticket_code",
    ]
    list_select_related = ["person", "company", "event", "member_terms_chamber"]


# The partners' side: delegation quotas per event, and partners' proposals to publish.

from django.contrib import messages  # noqa: E402

from alliance.base.models import DomainError  # noqa: E402
from events import services as event_services  # noqa: E402
from events.models import DelegationQuota, SeatAllocation  # noqa: E402


class DelegationQuotaInline(admin.TabularInline):
    model = DelegationQuota
    extra = 0
    fields = ["partner", "places"]
    autocomplete_fields = ["partner"]


class SeatAllocationInline(admin.TabularInline):
    """Read only: seats per chamber change under the event's lock, in /staff/
    (events/allocations.py)."""

    model = SeatAllocation
    extra = 0
    fields = ["chamber", "places"]
    readonly_fields = ["chamber", "places"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


EventAdmin.inlines = [*EventAdmin.inlines, DelegationQuotaInline, SeatAllocationInline]


@admin.action(description=_("Voorstellen van partners goedkeuren en publiceren"))
def publish_proposals(modeladmin, request, queryset):
    for event in queryset.filter(status=Event.Status.PROPOSED):
        try:
            event_services.event_publish(event=event, actor=request.user)
        except DomainError as error:
            messages.error(request, f"{event}: {error.message}")


EventAdmin.actions = [*(EventAdmin.actions or []), publish_proposals]
EventAdmin.list_filter = [*EventAdmin.list_filter, "proposed_by"]


@admin.register(DelegationQuota)
class DelegationQuotaAdmin(admin.ModelAdmin):
    list_display = ["event", "partner", "places"]
    list_filter = ["partner"]
    search_fields = ["event__title", "partner__name"]
    autocomplete_fields = ["event", "partner"]
    list_select_related = ["event", "partner"]


from events.models import MissionApplication, MissionChoice, MissionSelectionLog  # noqa: E402


class ReadOnlyMissions(ReadOnlyRegistrations):
    """Applications, choices and the selection log are shown, never written, in the admin:
    selecting takes a place under the event's lock (events/missions.py); staff act in /staff/."""


class MissionChoiceInline(ReadOnlyMissions, admin.TabularInline):
    model = MissionChoice
    extra = 0
    fields = ["event", "priority", "status", "score", "registration", "follow_up_deadline"]
    readonly_fields = fields
    show_change_link = False


@admin.register(MissionApplication)
class MissionApplicationAdmin(ReadOnlyMissions, admin.ModelAdmin):
    list_display = ["company", "person", "target_markets", "created_at"]
    search_fields = ["company__name", "person__last_name", "target_markets"]
    list_select_related = ["company", "person"]
    readonly_fields = ["company", "person", "motivation", "target_markets"]
    inlines = [MissionChoiceInline]


@admin.register(MissionSelectionLog)
class MissionSelectionLogAdmin(ReadOnlyMissions, admin.ModelAdmin):
    list_display = ["at", "choice", "action", "actor"]
    list_filter = ["action"]
    search_fields = ["choice__company__name", "choice__event__title", "note"]
    list_select_related = ["choice__company", "choice__event", "actor"]
    readonly_fields = ["choice", "actor", "action", "note", "at"]
