"""The back-office's forms for accreditation cycles. They validate input; chambers.accreditation
writes (and checks the rules: who, when, which files)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chambers.models import AccreditationAnswer, AccreditationCycle, Chamber


class DateInput(forms.DateInput):
    input_type = "date"


class CycleOpenForm(forms.Form):
    chamber = forms.ModelChoiceField(label=_("Kamer"), queryset=Chamber.objects.none())
    self_assessment_due = forms.DateField(label=_("Zelfevaluatie uiterlijk op"), widget=DateInput)
    decision_due = forms.DateField(label=_("Beslissing uiterlijk op"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = Chamber.objects.active().exclude(
            accreditation_cycles__in=AccreditationCycle.objects.undecided()
        )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Beoordeling"), choices=AccreditationAnswer.Status.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    file = forms.FileField(
        label=_("Bewijsstuk toevoegen"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG of JPEG."),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Opmerking"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10000,
    )
    more_evidence = forms.BooleanField(label=_("Extra bewijs nodig"), required=False)


class MoreEvidenceForm(forms.Form):
    comment = forms.CharField(
        label=_("Wat de kamer nog moet aanvullen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        choices=AccreditationCycle.Decision.choices,
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), required=False, widget=DateInput)
    valid_until = forms.DateField(label=_("Geldig tot"), required=False, widget=DateInput)
    conditions = forms.CharField(
        label=_("Voorwaarden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )
    comment = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )
