from modeltranslation.translator import TranslationOptions, register

from members.models import Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
