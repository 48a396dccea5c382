"""The back-office's forms for a chamber's team. They validate; chambers.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chambers import roles
from chambers.models import Chamber, StaffRole

ROLE_CHOICES = [(role.value, role.label) for role in roles.TEAM_ASSIGNABLE]


class TeamMemberForm(forms.Form):
    """Who joins which chamber's team, in which role. Field names match the services' errors."""

    chamber = forms.ModelChoiceField(label=_("Kamer"), queryset=Chamber.objects.none())
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_(
            "Wie nog geen account heeft, krijgt een uitnodiging om een wachtwoord te kiezen."
        ),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES, initial=StaffRole.Role.VIEWER)

    def __init__(self, *args, chamber_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = Chamber.objects.filter(pk__in=chamber_ids).order_by(
            "name"
        )
        if len(chamber_ids) == 1:
            self.fields["chamber"].initial = next(iter(chamber_ids))


class TeamRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES)
