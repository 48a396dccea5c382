from modeltranslation.translator import TranslationOptions, register

from chambers.models import AccreditationPrinciple, Alliance, Chamber


@register(AccreditationPrinciple)
class AccreditationPrincipleTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Alliance)
class AllianceTranslation(TranslationOptions):
    """What members read about the alliance, in their language (issue 19)."""

    fields = ("name", "description")


@register(Chamber)
class ChamberTranslation(TranslationOptions):
    """A chamber's name is its own (Voka – Kamer van Koophandel Kempen); its region is told in
    the reader's language."""

    fields = ("region",)
