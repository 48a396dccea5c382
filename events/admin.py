from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from events.models import Event, Registration


class RegistrationInline(admin.TabularInline):
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
    readonly_fields = ["checked_in_at"]
    autocomplete_fields = ["person", "company"]
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
class RegistrationAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["event", "person", "company"]
    list_select_related = ["person", "company", "event", "member_terms_chamber"]
    readonly_fields = ["ticket_code", "created_at", "updated_at"]
