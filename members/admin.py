from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from chambers.admin import PartnerAgreementAdmin
from chambers.models import Chamber
from members.models import (
    Company,
    ConsentRecord,
    FreeSeatAllowance,
    JoinRequest,
    Membership,
    MembershipApplication,
    Person,
    Prospect,
    Sector,
    ServiceRequest,
    ServiceRequestMessage,
)


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name", "nace_code"]
    search_fields = ["name", "nace_code"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["partner_agreements"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["chamber", "tier", "status", "valid_from", "valid_until", "annual_fee"]


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["first_name", "last_name", "email", "role", "job_title", "preferred_language"]
    show_change_link = True


class ConsentRecordInline(admin.TabularInline):
    """The consents' history, to read: it is written by members.services only, never edited."""

    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ["recorded_at", "purpose", "given", "recorded_by", "source", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HomeChamberFilter(admin.SimpleListFilter):
    """Companies by the chamber of their current membership."""

    title = _("thuiskamer")
    parameter_name = "home_chamber"

    def lookups(self, request, model_admin):
        return [(chamber.pk, chamber.short_name) for chamber in Chamber.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                memberships__status="active", memberships__chamber_id=self.value()
            )
        return queryset


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "enterprise_number_display",
        "legal_form",
        "municipality",
        "size_class",
        "directory_consent",
    ]
    list_filter = [
        HomeChamberFilter,
        "country",
        "legal_form",
        "size_class",
        "is_family_business",
        "directory_consent",
        "sectors",
    ]
    search_fields = [
        "name",
        "enterprise_number",
        "registration_number",
        "vat_number",
        "municipality",
        "postcode",
    ]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sectors"]
    inlines = [MembershipInline, PersonInline, ConsentRecordInline]
    # Consents change through the company's admins (/me/), so that each change has its row.
    readonly_fields = [
        "directory_consent",
        "directory_consent_at",
        "partner_consent",
        "partner_consent_at",
        "partner_consent_purpose",
    ]

    @admin.display(description=_("ondernemingsnummer"), ordering="enterprise_number")
    def enterprise_number_display(self, obj):
        return obj.enterprise_number_display


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "chamber",
        "tier",
        "status",
        "valid_from",
        "valid_until",
        "annual_fee",
    ]
    list_filter = ["status", "tier", "chamber"]
    search_fields = ["company__name", "company__enterprise_number"]
    autocomplete_fields = ["company"]
    list_select_related = ["company", "chamber"]
    date_hierarchy = "valid_until"


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "company", "email", "role", "job_title", "preferred_language"]
    list_filter = ["role", "preferred_language", "newsletter_consent"]
    search_fields = ["first_name", "last_name", "email", "company__name"]
    autocomplete_fields = ["company", "user"]
    filter_horizontal = ["interest_centres", "interest_sectors"]
    list_select_related = ["company"]


class ServiceRequestMessageInline(admin.TabularInline):
    """Answers and notes, to read: written by members.services with the e-mails they send."""

    model = ServiceRequestMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "author", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    inlines = [ServiceRequestMessageInline]
    list_display = ["company", "centre", "service", "status", "assignee", "created_at"]
    list_filter = ["status", "centre", "centre__lead_chamber"]
    search_fields = ["company__name", "person__email", "message"]
    autocomplete_fields = ["company", "person", "assignee"]
    list_select_related = ["company", "centre", "service", "assignee"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "assigned_at", "closed_at"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "first_name", "last_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "company__name", "company__enterprise_number", "last_name"]
    autocomplete_fields = ["user", "company"]
    list_select_related = ["user", "company"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    """Staff convert prospects in /staff/prospects/ (members.services.prospect_convert)."""

    list_display = ["company", "chamber", "source_detail", "created_at", "converted_at"]
    list_filter = ["chamber", "source"]
    search_fields = ["company__name", "company__enterprise_number", "source_detail"]
    autocomplete_fields = ["company", "contact"]
    list_select_related = ["company", "chamber"]
    readonly_fields = ["converted_at", "converted_by", "membership"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    """Staff decide in /staff/applications/ (members.services.membership_application_*)."""

    list_display = ["company", "chamber", "tier", "status", "created_at", "decided_at"]
    list_filter = ["status", "chamber"]
    search_fields = ["company__name", "company__enterprise_number", "last_name"]
    autocomplete_fields = ["company", "applicant"]
    list_select_related = ["company", "chamber"]
    readonly_fields = ["decided_by", "decided_at", "membership", "created_at"]


class AgreementSectorInline(admin.TabularInline):
    """An agreement's sector themes, shown on the agreement's admin page."""

    model = Sector.partner_agreements.through
    extra = 0
    verbose_name = "sector"
    verbose_name_plural = "thema's: sectoren"


PartnerAgreementAdmin.theme_inlines.append(AgreementSectorInline)


@admin.register(FreeSeatAllowance)
class FreeSeatAllowanceAdmin(admin.ModelAdmin):
    """Free seats per year that a chamber's membership tier includes (events/free_seats.py)."""

    list_display = ["chamber", "tier", "event_kind", "seats"]
    list_filter = ["chamber", "tier"]
    search_fields = ["chamber__name", "event_kind"]
    list_select_related = ["chamber"]
