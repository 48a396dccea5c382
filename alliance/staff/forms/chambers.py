"""The back-office's forms for a chamber's page and its competence centres and services.

They validate; chambers.services and competences.services write. Each form's fields are the
service's list (CHAMBER_PAGE_FIELDS, CENTRE_FIELDS, SERVICE_FIELDS), written once there.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from chambers.models import Alliance, Chamber
from chambers.services import CHAMBER_PAGE_FIELDS
from competences.models import CompetenceCentre, Service
from competences.services import CENTRE_FIELDS, SERVICE_FIELDS

LANGUAGE_NAMES = {"nl": _("Nederlands"), "fr": _("Frans"), "en": _("Engels")}


def _label_languages(form, required=()) -> None:
    """'Naam (Nederlands)' instead of modeltranslation's 'naam [nl]'; the Dutch text is the one
    every other language falls back to, so it is the one that is required."""
    for name, field in form.fields.items():
        base, _sep, language = name.rpartition("_")
        if language in LANGUAGE_NAMES:
            model_field = form._meta.model._meta.get_field(base)
            field.label = f"{model_field.verbose_name.capitalize()} ({LANGUAGE_NAMES[language]})"
        field.required = field.required or name in required


class ChamberPageForm(forms.ModelForm):
    """A chamber's public page: its region in three languages and how to reach it."""

    class Meta:
        model = Chamber
        fields = CHAMBER_PAGE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self)


class CentreForm(forms.ModelForm):
    """A competence centre's texts in three languages, its contact address, active or not."""

    class Meta:
        model = CompetenceCentre
        fields = CENTRE_FIELDS
        widgets = {
            f"description_{lang}": forms.Textarea(attrs={"rows": 4}) for lang in LANGUAGE_NAMES
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self, required=("name_nl",))
        self.fields["is_active"].help_text = _(
            "Een centrum dat niet actief is, verdwijnt met zijn diensten van de website en uit "
            "de API. Vragen en activiteiten blijven bewaard."
        )


class CentreNewForm(CentreForm):
    """A new centre also says which chamber leads it, for which alliance."""

    lead_chamber = forms.ModelChoiceField(
        label=_("Trekkende kamer"), queryset=Chamber.objects.none()
    )
    alliance = forms.ModelChoiceField(label=_("Alliantie"), queryset=Alliance.objects.none())

    field_order = ["lead_chamber", "alliance"]

    def __init__(self, *args, chamber_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_chamber"].queryset = Chamber.objects.filter(pk__in=chamber_ids)
        self.fields["alliance"].queryset = Alliance.objects.filter(
            memberships__chamber_id__in=chamber_ids
        ).distinct()
        if len(chamber_ids) == 1:
            self.fields["lead_chamber"].initial = next(iter(chamber_ids))


class ServiceForm(forms.ModelForm):
    """A centre's service: texts and price note in three languages, kind, audience, active."""

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        widgets = {
            f"description_{lang}": forms.Textarea(attrs={"rows": 4}) for lang in LANGUAGE_NAMES
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self, required=("name_nl",))
