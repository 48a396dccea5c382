"""Forms for joining a company and for the member's own pages. They validate; services write."""

import re

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from competences.models import CompetenceCentre
from members import enterprise_numbers, validators
from members.models import PARTNER_CONSENT_PURPOSE, Company, Membership, Person, Sector

COMPANY_LANGUAGES = [
    ("nl", _("Nederlands")),
    ("fr", _("Frans")),
    ("en", _("Engels")),
    ("de", _("Duits")),
]


class JoinRequestForm(forms.Form):
    """A signed-up user asks to act for their company."""

    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer"),
        max_length=20,
        help_text=_("Het KBO-nummer van je onderneming, bv. 0403.170.701."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
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
    message = forms.CharField(
        label=_("Bericht voor de beheerder"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Niet verplicht. Bv. in welke afdeling je werkt."),
    )

    def clean_enterprise_number(self):
        return enterprise_numbers.normalise(self.cleaned_data["enterprise_number"])


class CompanyProfileForm(forms.ModelForm):
    """What a company admin may change on the company's profile."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectoren"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    export_countries = SimpleArrayField(
        # Long enough to reach clean_export_countries, which explains what a code looks like.
        forms.CharField(max_length=60),
        label=_("Exportlanden"),
        required=False,
        help_text=_("Landcodes, gescheiden door komma's (bv. NL, DE, FR)."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Talen"),
        choices=COMPANY_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Company
        fields = [
            "description",
            "website",
            "street",
            "postcode",
            "municipality",
            "legal_form",
            "size_class",
            "sectors",
            "is_family_business",
            "founded_year",
            "export_countries",
            "languages",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    # The database checks these too; here the user gets a sentence instead of a constraint name.
    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        validators.validate_postcode(postcode)
        return postcode

    def clean_founded_year(self):
        year = self.cleaned_data["founded_year"]
        if year is not None and not 1700 <= year <= 2100:
            raise ValidationError(_("Geef een jaartal tussen 1700 en 2100."), code="founded_year")
        return year

    def clean_export_countries(self):
        codes = [code.strip().upper() for code in self.cleaned_data["export_countries"]]
        wrong = [code for code in codes if not re.fullmatch(r"[A-Z]{2}", code)]
        if wrong:
            raise ValidationError(
                _("Gebruik landcodes van twee letters (bv. NL). Niet herkend: %(codes)s"),
                params={"codes": ", ".join(wrong)},
                code="country",
            )
        return list(dict.fromkeys(codes))


class ConsentForm(forms.Form):
    """The company's consents: a profile in the public member directory, and one for the
    alliance's partners (through their API). Each is given or withdrawn on its own."""

    directory_consent = forms.BooleanField(
        label=_("Toon onze onderneming in de openbare ledengids"),
        required=False,
        help_text=_(
            "Bezoekers zien dan de naam, gemeente, sectoren en beschrijving van je "
            "onderneming. Gegevens van personen worden nooit getoond."
        ),
    )
    partner_consent = forms.BooleanField(
        label=_("Toon het profiel van onze onderneming aan de partners van de alliantie"),
        required=False,
        help_text=PARTNER_CONSENT_PURPOSE,
    )


class PersonForm(forms.ModelForm):
    """A company admin edits a colleague: job title, role and phone."""

    class Meta:
        model = Person
        fields = ["job_title", "role", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}


class InterestsForm(forms.Form):
    """The competence centres and sectors a person wants to hear about."""

    centres = forms.ModelMultipleChoiceField(
        label=_("Competentiecentra"),
        queryset=CompetenceCentre.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectoren"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class JoinDecisionForm(forms.Form):
    """Approve or reject a request to join (the buttons carry the choice)."""

    action = forms.ChoiceField(
        choices=[("approve", _("Goedkeuren")), ("reject", _("Afwijzen"))],
        widget=forms.HiddenInput,
    )


class NewCompanyForm(forms.Form):
    """What someone says of a company the portal does not know yet (all optional here: the
    service asks for them only when the company is new, members.services.prospect_company_create).
    Pages that take a company by its identifier extend it."""

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
    COMPANY_FIELDS = (
        "company_name",
        "company_legal_form",
        "company_size_class",
        "company_street",
        "company_postcode",
        "company_municipality",
    )

    def company_data(self) -> dict:
        return {
            name.removeprefix("company_"): self.cleaned_data[name] for name in self.COMPANY_FIELDS
        }


class MembershipApplicationForm(NewCompanyForm):
    """A company applies for membership: at which chamber, which tier, who its admin is (the
    applicant). Without a company of their own the applicant names it by its identifier."""

    chamber = forms.ModelChoiceField(
        label=_("Kamer"),
        queryset=Chamber.objects.none(),
        required=False,
        empty_label=_("De kamer van mijn regio (volgens de postcode)"),
    )
    tier = forms.ChoiceField(label=_("Formule"), choices=Membership.Tier.choices)
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
    message = forms.CharField(
        label=_("Bericht voor de kamer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, company: Company | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        chambers = Chamber.objects.active().filter(kind=Chamber.Kind.LOCAL).order_by("name")
        self.fields["chamber"].queryset = chambers
        self.fields["tier"].initial = Membership.Tier.STANDARD
        if company is not None:
            # The applicant's own company: nothing to look up, and its chamber is suggested.
            for name in ("identifier", *self.COMPANY_FIELDS):
                del self.fields[name]
            self.fields["chamber"].initial = chambers.for_postcode(company.postcode)
        else:
            self.fields["identifier"].required = True
