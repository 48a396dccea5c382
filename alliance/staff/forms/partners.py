"""The back-office's forms for partners: a partner, an agreement, an API key. They validate;
chambers.services writes (the field lists are its PARTNER_FIELDS and AGREEMENT_FIELDS)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import ApiScope, Chamber, Partner, PartnerAgreement
from chambers.services import AGREEMENT_FIELDS, PARTNER_FIELDS
from competences.models import CompetenceCentre
from members.models import Sector


class ApiKeyForm(forms.Form):
    """Name, scopes, optional expiry date and the chambers the key is limited to.

    Field names match the errors chambers.services.api_key_create raises, so they land next to
    the field they are about.
    """

    name = forms.CharField(
        label=_("Naam"),
        max_length=50,
        help_text=_("Zodat je de sleutel herkent, bv. 'Website 2026'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=ApiScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De catalogus (kamers, centra, partners) vraagt geen rechten."),
    )
    expiry_date = forms.DateField(
        label=_("Vervalt op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Leeg: over een jaar. Een sleutel vervalt altijd, hoogstens een jaar na vandaag."
        ),
    )
    chambers = forms.ModelMultipleChoiceField(
        label=_("Kamers"),
        queryset=Chamber.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, chambers, must_limit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.must_limit = must_limit
        self.fields["chambers"].queryset = chambers
        self.fields["chambers"].help_text = (
            _("Kies minstens één van je kamers.") if must_limit else _("Leeg: alle kamers.")
        )

    def clean_expiry_date(self):
        day = self.cleaned_data["expiry_date"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Kies een datum na vandaag."), code="past")
        return day

    def clean_chambers(self):
        chambers = self.cleaned_data["chambers"]
        if self.must_limit and not chambers:
            raise forms.ValidationError(
                _("Kies minstens één kamer: je maakt enkel sleutels voor je eigen kamers."),
                code="required",
            )
        return chambers

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day, in the portal's time zone."""
        day = self.cleaned_data["expiry_date"]
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


class PartnerForm(forms.ModelForm):
    """A partner's name, kind, country, website and description."""

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"country": _("Twee letters (ISO 3166-1), bv. BE of NL.")}

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()


class AgreementForm(forms.ModelForm):
    """An agreement's title, period, budget, notes and themes. A new one also says whom it is
    with: one of the user's chambers, or (alliance admins) the whole alliance."""

    competence_centres = forms.ModelMultipleChoiceField(
        label=_("Thema's: competentiecentra"),
        queryset=CompetenceCentre.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Thema's: sectoren"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PartnerAgreement
        fields = AGREEMENT_FIELDS
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, chambers=None, alliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["competence_centres"].initial = self.instance.competence_centres.all()
            self.fields["sectors"].initial = self.instance.sectors.all()
            return
        # A new agreement: with one chamber, or with the whole alliance.
        self.fields["chamber"] = forms.ModelChoiceField(
            label=_("Met de kamer"),
            queryset=chambers,
            required=not alliances,
            empty_label=_("— niet met één kamer —") if alliances else None,
        )
        self.order_fields(["chamber"])
        if alliances:
            self.fields["alliance"] = forms.ModelChoiceField(
                label=_("Of met de hele alliantie"),
                queryset=alliances,
                required=False,
                empty_label=_("— niet met de hele alliantie —"),
            )
            self.order_fields(["chamber", "alliance"])

    def clean(self):
        data = super().clean()
        new, valid = not self.instance.pk, not self.errors
        if new and valid and bool(data.get("chamber")) == bool(data.get("alliance")):
            raise forms.ValidationError(
                _("Kies een kamer of de hele alliantie, niet allebei en niet geen van beide.")
            )
        return data
