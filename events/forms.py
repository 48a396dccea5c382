"""The members' forms of the events pages. They validate; events.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.base.choices import Language
from events.models import Event
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


# How many colleagues without an account one booking form offers rows for.
NEWCOMER_ROWS = 3


class CompanyBookingForm(forms.Form):
    """A company admin books colleagues: people of the company, and up to NEWCOMER_ROWS who have
    no account yet (first name, last name, e-mail; a row left empty is skipped)."""

    colleagues = forms.ModelMultipleChoiceField(
        label=_("Collega's"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purchase_order = forms.CharField(
        label=_("Bestelbonnummer (niet verplicht)"), max_length=50, required=False
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleagues"].queryset = colleagues
        for row in range(NEWCOMER_ROWS):
            self.fields[f"first_name_{row}"] = forms.CharField(
                label=_("Voornaam"), max_length=100, required=False
            )
            self.fields[f"last_name_{row}"] = forms.CharField(
                label=_("Familienaam"), max_length=100, required=False
            )
            self.fields[f"email_{row}"] = forms.EmailField(label=_("E-mailadres"), required=False)

    def newcomer_rows(self):
        return [
            (self[f"first_name_{row}"], self[f"last_name_{row}"], self[f"email_{row}"])
            for row in range(NEWCOMER_ROWS)
        ]

    def clean(self):
        data = super().clean()
        newcomers = []
        for row in range(NEWCOMER_ROWS):
            values = [
                data.get(f"{name}_{row}", "") for name in ("first_name", "last_name", "email")
            ]
            if not any(values):
                continue
            if not all(values):
                self.add_error(
                    f"email_{row}" if not values[2] else f"first_name_{row}",
                    _("Vul voornaam, familienaam en e-mailadres in."),
                )
                continue
            newcomers.append(values)
        data["newcomers"] = newcomers
        if not data.get("colleagues") and not newcomers and not self.errors:
            raise forms.ValidationError(_("Kies minstens één collega."))
        return data


class MissionApplicationForm(forms.Form):
    """An application: why, for which markets, and up to two more missions by priority."""

    motivation = forms.CharField(label=_("Motivatie"), widget=forms.Textarea(attrs={"rows": 5}))
    target_markets = forms.CharField(label=_("Doelmarkten"), max_length=300)
    second = forms.ModelChoiceField(
        label=_("Tweede voorkeur"), queryset=None, required=False, to_field_name="slug"
    )
    third = forms.ModelChoiceField(
        label=_("Derde voorkeur"), queryset=None, required=False, to_field_name="slug"
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Event.objects.filter(pk__in=[event.pk for event in others])
        self.fields["second"].queryset = queryset
        self.fields["third"].queryset = queryset


class MissionFollowUpForm(forms.Form):
    """What an accepted applicant sends before the deadline: travel data and documents."""

    passport_name = forms.CharField(label=_("Naam zoals in het paspoort"), max_length=200)
    passport_number = forms.CharField(label=_("Paspoortnummer"), max_length=40)
    arrival = forms.CharField(label=_("Aankomst (vlucht, datum)"), max_length=200, required=False)
    departure = forms.CharField(label=_("Vertrek (vlucht, datum)"), max_length=200, required=False)
    documents = forms.CharField(
        label=_("Documenten (links naar brochure, bedrijfsprofiel)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    dietary = forms.CharField(label=_("Dieetwensen"), max_length=200, required=False)
