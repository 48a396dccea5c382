from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from alliance.base.models import DomainError
from chambers import services as chamber_services
from chambers.models import (
    Accreditation,
    AccreditationAnswer,
    AccreditationAssessment,
    AccreditationCycle,
    AccreditationLogEntry,
    AccreditationPrinciple,
    Alliance,
    AllianceChamber,
    ApiCall,
    ApiScope,
    Chamber,
    Partner,
    PartnerAgreement,
    PartnerAPIKey,
    StaffRole,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)


class AllianceChamberInline(admin.TabularInline):
    model = AllianceChamber
    extra = 0
    autocomplete_fields = ["chamber"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Chamber)
class ChamberAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "country", "email", "is_active"]
    list_filter = ["kind", "is_active", "country", "alliances"]
    search_fields = ["name", "short_name", "region"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [StaffRoleInline]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "signed_on", "target_date"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AllianceChamberInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "chamber"]
    list_filter = ["role", "chamber"]
    search_fields = ["user__email", "user__username", "chamber__name"]
    autocomplete_fields = ["user", "chamber"]
    list_select_related = ["user", "chamber"]


class PartnerAgreementInline(admin.StackedInline):
    model = PartnerAgreement
    extra = 0
    fields = ["title", "alliance", "chamber", "valid_from", "valid_until", "annual_budget"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerAgreementInline]


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(admin.ModelAdmin):
    """Themes (competence centres, sectors) are added as inlines by the apps that own them."""

    list_display = ["partner", "title", "alliance", "chamber", "valid_from", "valid_until"]
    list_filter = ["partner__kind", "alliance", "chamber"]
    search_fields = ["partner__name", "title", "notes"]
    autocomplete_fields = ["partner", "chamber"]
    list_select_related = ["partner", "alliance", "chamber"]
    date_hierarchy = "valid_from"
    theme_inlines: list = []

    def get_inlines(self, request, obj):
        return [*self.inlines, *self.theme_inlines]


class AccreditationAssessmentInline(admin.TabularInline):
    model = AccreditationAssessment
    extra = 0
    fields = ["principle", "compliant", "evidence", "note"]
    ordering = ["principle__number"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["chamber", "status", "valid_from", "valid_until", "compliant_count"]
    list_filter = ["status", "chamber"]
    search_fields = ["chamber__name"]
    inlines = [AccreditationAssessmentInline]
    list_select_related = ["chamber"]

    @admin.display(description=_("principes voldaan"))
    def compliant_count(self, obj):
        return sum(1 for assessment in obj.assessments.all() if assessment.compliant)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assessments")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccreditationAnswerInline(_ReadOnlyInline):
    model = AccreditationAnswer
    fields = ["principle", "status", "explanation", "reviewer_comment", "more_evidence_requested"]
    readonly_fields = fields


class AccreditationLogEntryInline(_ReadOnlyInline):
    model = AccreditationLogEntry
    fields = ["at", "action", "actor", "principle", "comment"]
    readonly_fields = fields


@admin.register(AccreditationCycle)
class AccreditationCycleAdmin(admin.ModelAdmin):
    """Shown, never written here: a cycle moves only through chambers.accreditation's services
    (the back-office's /staff/accreditation/), which keep its log and its rules."""

    list_display = ["chamber", "status", "self_assessment_due", "decision_due", "decision"]
    list_filter = ["status", "decision", "chamber"]
    search_fields = ["chamber__name"]
    list_select_related = ["chamber"]
    inlines = [AccreditationAnswerInline, AccreditationLogEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccreditationPrinciple)
class AccreditationPrincipleAdmin(TranslationAdmin):
    list_display = ["number", "chamber_kind", "name"]
    list_filter = ["chamber_kind"]
    search_fields = ["name"]


# The partners' REST API: keys (shown once, on creation), their call log, webhooks.

# The library's own key model is not used: partner keys are PartnerAPIKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class PartnerAPIKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("rechten"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PartnerAPIKey
        fields = ["partner", "name", "scopes", "chambers", "expiry_date"]


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Saving a new key shows it once, in a message; only its hash is kept."""

    form = PartnerAPIKeyForm
    list_display = [
        "prefix",
        "name",
        "partner",
        "scopes",
        "expiry_date",
        "revoked",
        "last_used_at",
        "created",
    ]
    list_filter = ["revoked", "partner"]
    search_fields = ["name", "prefix", "partner__name"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["chambers"]
    list_select_related = ["partner"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["prefix", "last_used_at", "revoked", "revoked_at"]
        if obj is not None and obj.revoked:
            fields += ["name", "partner", "scopes", "expiry_date"]
        return fields

    @admin.action(description=_("Geselecteerde sleutels intrekken"))
    def revoke(self, request, queryset):
        for api_key in queryset.filter(revoked=False):
            chamber_services.api_key_revoke(api_key=api_key)
        messages.success(request, _("De sleutels zijn ingetrokken."))


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    """The log of calls made with partner keys: read only."""

    list_display = ["created_at", "partner", "key_prefix", "method", "path", "status_code"]
    list_filter = ["partner", "method", "status_code"]
    search_fields = ["path", "key_prefix", "partner__name"]
    date_hierarchy = "created_at"
    list_select_related = ["partner"]

    def has_change_permission(self, request, obj=None):
        return False


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("gebeurtenissen"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "url", "description", "event_types", "chambers", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "partner", "event_types", "is_active", "disabled_reason"]
    list_filter = ["is_active", "partner"]
    search_fields = ["url", "partner__name", "description"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["chambers"]
    readonly_fields = ["disabled_at", "disabled_reason", "created_at", "updated_at"]
    list_select_related = ["partner"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log; a delivery can be sent again (same id)."""

    list_display = [
        "created_at",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "endpoint__partner"]
    search_fields = ["endpoint__url", "endpoint__partner__name", "id"]
    date_hierarchy = "created_at"
    list_select_related = ["endpoint", "endpoint__partner"]
    readonly_fields = [
        "id",
        "endpoint",
        "event_type",
        "payload",
        "status",
        "attempts",
        "series_attempts",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    actions = ["redeliver"]

    @admin.action(description=_("Opnieuw versturen"))
    def redeliver(self, request, queryset):
        for delivery in queryset:
            try:
                chamber_services.webhook_redeliver(delivery=delivery)
            except DomainError as error:
                messages.error(request, error.message)
