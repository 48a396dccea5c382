"""The members' forms of the events pages. They validate; events.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationConfirmForm(forms.Form):
    """The confirmation step of a registration: the member's own reference for the invoice."""

    purchase_order = forms.CharField(
        label=_("Bestelbonnummer (niet verplicht)"),
        max_length=50,
        required=False,
        help_text=_("Vermeldt je onderneming een bestelbon op haar facturen? Vul hem hier in."),
    )
