"""The members' forms of the events pages. They validate; events.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.base.choices import Language
from members.forms import NewCompanyForm


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


class ProspectRegistrationForm(NewCompanyForm):
    """A non-member registers for an open event: their company (found by its identifier, or
    described when the portal does not know it yet) and themselves."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Familienaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    job_title = forms.CharField(
        label=_("Functie"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    preferred_language = forms.ChoiceField(label=_("Taal"), choices=Language.choices)

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        if account_email:
            # A logged-in account registers with its own (confirmed) address.
            self.fields["email"].disabled = True
            self.fields["email"].initial = account_email
