from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from chambers.admin import PartnerAgreementAdmin
from competences.models import CompetenceCentre, Service


class ServiceInline(TranslationTabularInline):
    model = Service
    extra = 0
    fields = ["name", "slug", "kind", "audience", "price_note", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CompetenceCentre)
class CompetenceCentreAdmin(TranslationAdmin):
    list_display = ["name", "lead_chamber", "alliance", "email"]
    list_filter = ["lead_chamber", "alliance"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["lead_chamber", "alliance"]
    exclude = ["partner_agreements"]
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(TranslationAdmin):
    list_display = ["name", "centre", "kind", "audience", "is_active"]
    list_filter = ["kind", "audience", "is_active", "centre", "centre__lead_chamber"]
    search_fields = ["name", "description", "centre__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["centre"]
    autocomplete_fields = ["centre"]


class AgreementCentreInline(admin.TabularInline):
    """An agreement's competence-centre themes, shown on the agreement's admin page."""

    model = CompetenceCentre.partner_agreements.through
    extra = 0
    verbose_name = "competentiecentrum"
    verbose_name_plural = "thema's: competentiecentra"


PartnerAgreementAdmin.theme_inlines.append(AgreementCentreInline)
