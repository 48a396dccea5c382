from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from chambers.models import (
    Accreditation,
    AccreditationAssessment,
    AccreditationPrinciple,
    Alliance,
    AllianceChamber,
    Chamber,
    Partner,
    PartnerAgreement,
    StaffRole,
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


@admin.register(AccreditationPrinciple)
class AccreditationPrincipleAdmin(TranslationAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]
