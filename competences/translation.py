from modeltranslation.translator import TranslationOptions, register

from competences.models import CompetenceCentre, Service


@register(CompetenceCentre)
class CompetenceCentreTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "price_note")
