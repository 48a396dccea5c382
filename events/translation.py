from modeltranslation.translator import TranslationOptions, register

from events.models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
