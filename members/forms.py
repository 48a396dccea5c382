"""Forms for joining a company and for the member's own pages. They validate; services write."""

import re

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from competences.models import CompetenceCentre
from members import countries, enterprise_numbers, identifiers, validators
from members.models import PARTNER_CONSENT_PURPOSE, Company, Membership, Person, Sector

COMPANY_LANGUAGES = [
    ("nl", _("Nederlands")),
    ("fr", _("Frans")),
    ("en", _("Engels")),
    ("de", _("Duits")),
]


class JoinRequestForm(forms.Form):
    """A signed-up user asks to act for their company."""

    # Not required: a form posted without it (an older page) means a Belgian company.
    country = forms.ChoiceField(
        label=_("Land van de onderneming"),
        choices=countries.COUNTRIES,
        initial=countries.BELGIUM,
        required=False,
    )
    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer"),
        max_length=30,
        help_text=_(
            "Het KBO-nummer van je onderneming, bv. 0403.170.701. Buiten België: het KvK-nummer "
            "(8 cijfers), een ander registratienummer of het btw-nummer met landcode."
        ),
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

    def clean(self):
        data = super().clean()
        data["country"] = data.get("country") or countries.BELGIUM
        if data.get("enterprise_number"):
            try:
                identifiers.parse(data["enterprise_number"], data["country"])
            except ValidationError as error:
                self.add_error("enterprise_number", error)
        return data


class CompanyIdentifierFields(forms.ModelForm):
    """A company's country, its numbers and its postcode, cleaned for that country: for forms
    that create a company (members/identifiers.py has the rules). Declare `country` before the
    numbers and the postcode in Meta.fields: they are read for the country already cleaned.

    Longer than the stored values: people type "BE 0403.170.701" or "NL 0044.95.445.B01".
    """

    # Not required: a form posted without it (an older page, a test) means a Belgian company.
    country = forms.ChoiceField(
        label=_("Land"), choices=countries.COUNTRIES, initial=countries.BELGIUM, required=False
    )
    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer"),
        max_length=30,
        required=False,
        help_text=_("Belgische ondernemingen: het KBO-nummer, bv. 0403.170.701."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    registration_number = forms.CharField(
        label=_("Registratienummer"),
        max_length=30,
        required=False,
        help_text=_(
            "Buiten België: het nummer in het handelsregister, bv. het KvK-nummer (8 cijfers)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    vat_number = forms.CharField(
        label=_("Btw-nummer"),
        max_length=30,
        required=False,
        help_text=_(
            "Buiten België, niet verplicht als er een registratienummer is: het Europese "
            "btw-nummer met landcode, bv. NL004495445B01."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def _country(self) -> str:
        return self.cleaned_data.get("country") or countries.BELGIUM

    def clean_country(self):
        return self._country()

    def clean_enterprise_number(self):
        number = self.cleaned_data["enterprise_number"]
        if self._country() != countries.BELGIUM:
            return None
        return enterprise_numbers.normalise(number)

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"]
        if not number or self._country() == countries.BELGIUM:
            return ""
        return identifiers.normalise_registration_number(number, self._country())

    def clean_vat_number(self):
        number = self.cleaned_data["vat_number"]
        if not number or self._country() == countries.BELGIUM:
            return ""
        return identifiers.normalise_vat_number(number, self._country())

    def clean_postcode(self):
        return validators.normalise_postcode(self.cleaned_data["postcode"], self._country())

    def validate_unique(self):
        # Each number with a message that says what to do; the slug is the service's to make.
        company = self.instance
        for field, lookup in (
            ("enterprise_number", {"enterprise_number": company.enterprise_number}),
            (
                "registration_number",
                {"country": company.country, "registration_number": company.registration_number},
            ),
            ("vat_number", {"vat_number": company.vat_number}),
        ):
            if (
                getattr(company, field)
                and field not in self.errors
                and Company.objects.filter(**lookup).exclude(pk=company.pk).exists()
            ):
                message = (
                    _(
                        "Er bestaat al een onderneming met dit ondernemingsnummer. Zoek ze in "
                        "de ledenlijst, of vraag de kamer waar ze lid was."
                    )
                    if field == "enterprise_number"
                    else _(
                        "Er bestaat al een onderneming met dit nummer. Zoek ze in de "
                        "ledenlijst, of vraag de kamer waar ze lid was."
                    )
                )
                self.add_error(field, ValidationError(message, code="company_exists"))


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
        # The company's own country: the profile does not change it (that is the chamber's).
        return validators.normalise_postcode(self.cleaned_data["postcode"], self.instance.country)

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

    # Not required: a form posted without it means a Belgian company (members/identifiers.py).
    company_country = forms.ChoiceField(
        label=_("Land"), choices=countries.COUNTRIES, initial=countries.BELGIUM, required=False
    )
    identifier = forms.CharField(
        label=_("Ondernemingsnummer, KvK- of btw-nummer"),
        max_length=30,
        help_text=_("Bv. 0403.170.701, BE0403170701, KvK 90412345 of NL004495445B01."),
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
        max_length=10,
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
        "company_country",
        "company_name",
        "company_legal_form",
        "company_size_class",
        "company_street",
        "company_postcode",
        "company_municipality",
    )

    def company_data(self) -> dict:
        data = {
            name.removeprefix("company_"): self.cleaned_data[name] for name in self.COMPANY_FIELDS
        }
        data["country"] = data["country"] or countries.BELGIUM
        return data


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
