"""The form a member fills in to ask a competence centre for help."""

from django import forms
from django.utils.translation import gettext_lazy as _

from competences.models import CompetenceCentre


class CentreQuestionForm(forms.Form):
    """A question to one centre, optionally about one of its active services.

    The choice is limited to the centre's own active services, so a service of another centre
    (or a withdrawn one) in the POST is a validation error, not a request.
    """

    service = forms.ModelChoiceField(
        label=_("Over welke dienst gaat je vraag?"),
        queryset=None,
        required=False,
        empty_label=_("Algemene vraag, geen specifieke dienst"),
        error_messages={
            "invalid_choice": _("Kies een dienst van dit competentiecentrum."),
        },
    )
    message = forms.CharField(
        label=_("Je vraag"),
        help_text=_("Beschrijf kort wat je zoekt; de trekkende kamer neemt contact met je op."),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=10,
        max_length=4000,
        error_messages={
            "required": _("Schrijf je vraag."),
            "min_length": _("Schrijf je vraag in minstens %(limit_value)d tekens."),
            "max_length": _("Je vraag is te lang: hou het bij %(limit_value)d tekens."),
        },
    )

    def __init__(self, *args, centre: CompetenceCentre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["service"].queryset = centre.services.active().order_by("name")
