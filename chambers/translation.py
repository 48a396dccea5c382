from modeltranslation.translator import TranslationOptions, register

from chambers.models import AccreditationPrinciple


@register(AccreditationPrinciple)
class AccreditationPrincipleTranslation(TranslationOptions):
    fields = ("name", "description")
