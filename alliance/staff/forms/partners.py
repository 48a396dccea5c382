"""The back-office's form to make a partner's API key. It validates; chambers.services writes."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import ApiScope, Chamber


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
