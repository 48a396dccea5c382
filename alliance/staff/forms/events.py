"""The back-office's event forms. They check what the database would refuse, in Dutch first, so
that a rule of the model is an error next to its field and never a 500; the writes themselves
are services (events/services.py)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.base.choices import Language
from chambers.models import Chamber, Partner
from events import exports
from events.models import BRUSSELS, Event
from events.permissions import organiser_choices
from members import countries, identifiers

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is Brussels time (TIME_ZONE)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class EventForm(forms.ModelForm):
    """Everything staff set on an event. Status changes are actions of their own (publish,
    cancel); the slug is made once, from the Dutch title."""

    class Meta:
        model = Event
        fields = [
            "title_nl",
            "title_fr",
            "title_en",
            "description_nl",
            "description_fr",
            "description_en",
            "kind",
            "organiser",
            "co_organisers",
            "partners",
            "centre",
            "sectors",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "country",
            "language",
            "time_zone",
            "capacity",
            "has_waiting_list",
            "selects_participants",
            "waiting_list_mode",
            "offer_hours",
            "free_cancellation_until",
            "late_cancellation",
            "late_cancellation_fee",
            "registration_opens_at",
            "registration_closes_at",
            "member_price",
            "non_member_price",
            "kmo_recognition_number",
            "audience",
        ]
        labels = {
            "title_nl": _("Titel (Nederlands)"),
            "title_fr": _("Titel (Frans)"),
            "title_en": _("Titel (Engels)"),
            "description_nl": _("Beschrijving (Nederlands)"),
            "description_fr": _("Beschrijving (Frans)"),
            "description_en": _("Beschrijving (Engels)"),
            "country": _("Land (ISO-code, bv. BE)"),
            "language": _("Voertaal"),
        }
        help_texts = {
            "title_fr": _("Leeg: de Nederlandse titel."),
            "title_en": _("Leeg: de Nederlandse titel."),
            "starts_at": _("Uur in Brussel."),
            "ends_at": _("Uur in Brussel."),
            "registration_opens_at": _("Leeg: meteen na publicatie."),
            "registration_closes_at": _("Leeg: tot de activiteit begint."),
        }
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 6}),
            "description_fr": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "co_organisers": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "registration_opens_at": DateTimeInput,
            "registration_closes_at": DateTimeInput,
            "free_cancellation_until": DateTimeInput,
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance if self.instance.pk else None
        self.fields["organiser"].queryset = organiser_choices(user, event).order_by("name")
        self.fields["co_organisers"].queryset = Chamber.objects.active()
        self.fields["centre"].empty_label = _("Geen competentiecentrum")
        self.fields["title_nl"].required = True
        for name in ("title_fr", "title_en", "description_fr", "description_en"):
            self.fields[name].required = False
        for name in ("member_price", "non_member_price"):
            self.fields[name].widget.attrs.update(min="0", step="0.01")
        self.fields["capacity"].widget.attrs["min"] = "1"
        # Left out (an older form, an import): the model's defaults, automatic and 24 hours.
        for name in (
            "waiting_list_mode",
            "offer_hours",
            "late_cancellation",
            "late_cancellation_fee",
            "time_zone",
        ):
            self.fields[name].required = False
        self.fields["late_cancellation_fee"].widget.attrs.update(min="0", step="0.01")
        self.fields["offer_hours"].widget.attrs["min"] = "1"

    def clean_waiting_list_mode(self):
        return self.cleaned_data.get("waiting_list_mode") or Event.WaitingListMode.AUTOMATIC

    def clean_time_zone(self):
        return self.cleaned_data.get("time_zone") or BRUSSELS

    def clean_late_cancellation(self):
        return self.cleaned_data.get("late_cancellation") or Event.LateCancellation.FEE

    def clean_late_cancellation_fee(self):
        fee = self.cleaned_data.get("late_cancellation_fee")
        if fee is None:
            return 0
        if fee < 0:
            raise forms.ValidationError(_("Een prijs kan niet negatief zijn."))
        return fee

    def clean_offer_hours(self):
        hours = self.cleaned_data.get("offer_hours")
        if hours is None:
            return self.instance.offer_hours or 24
        if hours < 1:
            raise forms.ValidationError(_("De bedenktijd is minstens 1 uur."))
        return hours

    def clean_country(self):
        country = (self.cleaned_data.get("country") or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(
                _("Geef het land als code van twee letters, bv. BE of NL."), code="country"
            )
        return country

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity <= 0:
            raise forms.ValidationError(
                _("De capaciteit moet minstens 1 zijn. Laat het veld leeg voor onbeperkt."),
                code="capacity_not_positive",
            )
        return capacity

    def clean(self):
        """The model's CheckConstraints, as errors next to the field they concern."""
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("De inschrijvingen moeten sluiten na het moment waarop ze openen."),
            )
        if closes and starts and closes > starts:
            self.add_error(
                "registration_closes_at",
                _("De inschrijvingen sluiten ten laatste bij het begin van de activiteit."),
            )
        free_until = data.get("free_cancellation_until")
        if free_until and starts and free_until > starts:
            self.add_error(
                "free_cancellation_until",
                _("Gratis annuleren kan ten laatste tot het begin van de activiteit."),
            )
        member_price, other_price = data.get("member_price"), data.get("non_member_price")
        for name, price in (("member_price", member_price), ("non_member_price", other_price)):
            if price is not None and price < 0:
                self.add_error(name, _("Een prijs kan niet negatief zijn."))
        if (
            member_price is not None
            and other_price is not None
            and member_price >= 0
            and member_price > other_price
        ):
            self.add_error(
                "member_price",
                _("De ledenprijs mag niet hoger zijn dan de prijs voor niet-leden."),
            )
        organiser = data.get("organiser")
        if organiser and organiser in (data.get("co_organisers") or []):
            self.add_error(
                "co_organisers",
                _("De organiserende kamer kan niet ook co-organisator zijn."),
            )
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        required=False,
        min_value=1,
        help_text=_("Leeg: onbeperkt. Nieuwe plaatsen gaan meteen naar de wachtlijst."),
        error_messages={"min_value": _("De capaciteit moet minstens 1 zijn.")},
        widget=forms.NumberInput(attrs={"min": "1"}),
    )


class GuestForm(forms.Form):
    """A guest registered by staff: a person of a company that exists, found by its number."""

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
            "Van een onderneming die al in het portaal staat, bv. 0403.170.701; buiten België "
            "het KvK- of registratienummer of het btw-nummer."
        ),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Familienaam"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    preferred_language = forms.ChoiceField(
        label=_("Taal van de e-mails"), choices=Language.choices, initial=Language.NL
    )

    def clean(self):
        data = super().clean()
        data["country"] = data.get("country") or countries.BELGIUM
        if data.get("enterprise_number"):
            try:
                number = identifiers.parse(data["enterprise_number"], data["country"])
            except forms.ValidationError as error:
                self.add_error("enterprise_number", error)
            else:
                data["enterprise_number"] = number.value
        return data


class CheckInForm(forms.Form):
    ticket_code = forms.CharField(
        label=_("Ticketcode"),
        max_length=500,
        help_text=_("Scan de QR-code van het ticket of typ de code eronder."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "off",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


class CancelEventForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, annuleer deze activiteit en verwittig iedereen die ingeschreven is."),
        error_messages={"required": _("Vink aan dat je de activiteit wilt annuleren.")},
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Hoger")), ("down", _("Lager"))])


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Formaat"), choices=[(fmt, fmt.upper()) for fmt in exports.FORMATS]
    )


class QuotaForm(forms.Form):
    """A partner's places for its delegation (registered through the API)."""

    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.order_by("name"),
        error_messages={"invalid_choice": _("Kies een partner uit de lijst.")},
    )
    places = forms.IntegerField(
        label=_("Plaatsen"),
        min_value=1,
        error_messages={"min_value": _("Geef minstens één plaats, of verwijder het quotum.")},
        widget=forms.NumberInput(attrs={"min": "1"}),
    )


class AllocationForm(forms.Form):
    """Seats of an event reserved for one chamber's members until the pooling date."""

    chamber = forms.ModelChoiceField(
        label=_("Kamer"),
        queryset=Chamber.objects.none(),
        error_messages={"invalid_choice": _("Kies een organiserende of co-organiserende kamer.")},
    )
    places = forms.IntegerField(
        label=_("Plaatsen"),
        min_value=1,
        error_messages={
            "min_value": _("Geef minstens één plaats, of verwijder de plaatsen van deze kamer.")
        },
        widget=forms.NumberInput(attrs={"min": "1"}),
    )

    def __init__(self, *args, chambers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chambers is not None:
            self.fields["chamber"].queryset = chambers.order_by("name")


class PoolingForm(forms.Form):
    """When unused reserved seats open to every alliance member."""

    pooling_at = forms.DateTimeField(
        label=_("Voorbehouden plaatsen vrij op"),
        required=False,
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Leeg: de plaatsen blijven voorbehouden tot de inschrijving sluit."),
    )


class MissionScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Notitie"), max_length=2000, required=False)
