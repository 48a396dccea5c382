"""The members' forms of the events pages. They validate; events.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.base.choices import Language
from members.models import Company


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


class ProspectRegistrationForm(forms.Form):
    """A non-member registers for an open event: their company (found by its identifier, or
    described when the portal does not know it yet) and themselves."""

    identifier = forms.CharField(
        label=_("Ondernemingsnummer of btw-nummer"),
        max_length=20,
        help_text=_("Bv. 0403.170.701 of BE0403170701."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    company_name = forms.CharField(
        label=_("Naam van de onderneming"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    company_legal_form = forms.ChoiceField(
        label=_("Rechtsvorm"), choices=[("", "—"), *Company.LegalForm.choices], required=False
    )
    company_size_class = forms.ChoiceField(
        label=_("Grootte"), choices=[("", "—"), *Company.SizeClass.choices], required=False
    )
    company_street = forms.CharField(
        label=_("Straat en nummer"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    company_postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    company_municipality = forms.CharField(
        label=_("Gemeente"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
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

    COMPANY_FIELDS = (
        "company_name",
        "company_legal_form",
        "company_size_class",
        "company_street",
        "company_postcode",
        "company_municipality",
    )

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        if account_email:
            # A logged-in account registers with its own (confirmed) address.
            self.fields["email"].disabled = True
            self.fields["email"].initial = account_email

    def company_data(self) -> dict:
        return {
            name.removeprefix("company_"): self.cleaned_data[name] for name in self.COMPANY_FIELDS
        }
