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


class SubstituteForm(forms.Form):
    """Send a colleague instead: one of the company's other people."""

    colleague = forms.ModelChoiceField(label=_("Collega"), queryset=None)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
