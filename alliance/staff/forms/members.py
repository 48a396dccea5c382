"""Forms and filters of the back-office's members, requests and imports. They validate; services
write. The filter set lives here, beside the forms, because it serves the staff page only."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber
from members import imports, validators
from members.forms import CompanyIdentifierFields
from members.models import Company, ConsentRecord, Membership, Person
from members.services import one_year_from

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeeField(forms.DecimalField):
    """An amount in euro as people write it: 450, 450,00, 1.250,50 or € 1250.50."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = imports.parse_fee(value)
        if amount is None:
            raise forms.ValidationError(
                _("Schrijf een bedrag van 0 of meer, bv. 450,00."), code="invalid"
            )
        return amount


class MembershipForm(forms.Form):
    """A new membership period at one of the chambers whose members the user manages."""

    chamber = forms.ModelChoiceField(label=_("Kamer"), queryset=Chamber.objects.none())
    tier = forms.ChoiceField(label=_("Formule"), choices=Membership.Tier.choices)
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DATE_INPUT)
    valid_until = forms.DateField(
        label=_("Geldig tot"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Leeg: één jaar na de begindatum."),
    )
    annual_fee = FeeField(label=_("Jaarbijdrage (EUR)"), max_digits=10, decimal_places=2)

    def __init__(self, *args, chambers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers
        if len(chambers) == 1:
            self.fields["chamber"].initial = chambers[0]
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["tier"].initial = Membership.Tier.STANDARD

    def clean(self):
        data = super().clean()
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and not valid_until:
            data["valid_until"] = one_year_from(valid_from)
        elif valid_from and valid_until:
            try:
                validators.validate_period(valid_from, valid_until)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


class NewCompanyForm(CompanyIdentifierFields):
    """A company that is new to the portal; shown with a MembershipForm for its first period.

    Belgian by default; a company from abroad gives its registration number (a KvK number for a
    Dutch one) or its EU VAT number instead of an enterprise number."""

    class Meta:
        model = Company
        fields = [
            "name",
            "country",
            "enterprise_number",
            "registration_number",
            "vat_number",
            "legal_form",
            "size_class",
            "street",
            "postcode",
            "municipality",
            "website",
        ]


class CompanyAdminForm(forms.Form):
    """The new member's admin, when staff know them: invited by e-mail to make an account."""

    prefix = "admin"

    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        help_text=_(
            "Niet verplicht. Deze persoon wordt beheerder van de onderneming en krijgt een "
            "uitnodiging om een account te maken met dit adres."
        ),
    )

    def clean(self):
        data = super().clean()
        if (data.get("first_name") or data.get("last_name")) and not data.get("email"):
            self.add_error(
                "email",
                forms.ValidationError(_("Geef het e-mailadres van de beheerder."), code="required"),
            )
        if data.get("email") and not data.get("first_name"):
            self.add_error(
                "first_name",
                forms.ValidationError(_("Geef de voornaam van de beheerder."), code="required"),
            )
        return data


class PersonRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Person.Role.choices)


class RenewForm(forms.Form):
    """The next period: the same formula and fee unless changed."""

    tier = forms.ChoiceField(label=_("Formule"), choices=Membership.Tier.choices)
    annual_fee = FeeField(label=_("Jaarbijdrage (EUR)"), max_digits=10, decimal_places=2)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Toewijzen aan"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Antwoord"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Gaat per e-mail naar wie de vraag stelde."),
    )


class NoteForm(forms.Form):
    message = forms.CharField(
        label=_("Interne notitie"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Voor de medewerkers van de kamer; het lid ziet ze nooit."),
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Waarom niet? (niet verplicht)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Als je iets schrijft, krijgt wie de vraag stelde het per e-mail."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_(
            "Eén rij per onderneming, met een kopregel. Verplichte kolommen: ondernemingsnummer, "
            "naam, grootte, postcode, gemeente, kamer, formule, geldig_vanaf, geldig_tot, "
            "jaarbijdrage. Niet verplicht: rechtsvorm, straat, website."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if imports.kind_of(uploaded.name) is None:
            raise forms.ValidationError(_("Kies een CSV- of XLSX-bestand."))
        if uploaded.size > imports.MAX_FILE_SIZE:
            raise forms.ValidationError(_("Het bestand is groter dan 10 MB. Splits het."))
        return uploaded


class ProspectConvertForm(forms.Form):
    """A prospect becomes a member: the first one-year period at the prospect's chamber."""

    tier = forms.ChoiceField(label=_("Formule"), choices=Membership.Tier.choices)
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DATE_INPUT)
    annual_fee = FeeField(label=_("Jaarbijdrage (EUR)"), max_digits=10, decimal_places=2)
    make_admin = forms.BooleanField(
        label=_("Maak de contactpersoon beheerder van de onderneming"),
        required=False,
        help_text=_("Die krijgt een e-mail; zonder account, hoe hij of zij er een maakt."),
    )

    def __init__(self, *args, has_contact: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["tier"].initial = Membership.Tier.STANDARD
        if has_contact:
            self.fields["make_admin"].initial = True
        else:
            del self.fields["make_admin"]


class ApplicationApproveForm(forms.Form):
    """Approving a membership application: when the membership starts and what it costs."""

    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DATE_INPUT)
    annual_fee = FeeField(label=_("Jaarbijdrage (EUR)"), max_digits=10, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class ApplicationDeclineForm(forms.Form):
    """Declining a membership application, with a word for the applicant."""

    reason = forms.CharField(
        label=_("Reden (voor de aanvrager)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentOnBehalfForm(forms.Form):
    """A consent staff record for a company: which one, given or withdrawn, when, by whom."""

    purpose = forms.ChoiceField(label=_("Toestemming voor"), choices=ConsentRecord.Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("Wat"),
        choices=[("yes", _("Gegeven")), ("no", _("Ingetrokken"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    given_on = forms.DateField(label=_("Op"), widget=DATE_INPUT, initial=timezone.localdate)
    given_by = forms.CharField(
        label=_("Door wie en hoe"),
        max_length=200,
        help_text=_("Bv. telefonisch, van An Peeters (zaakvoerder)."),
    )
