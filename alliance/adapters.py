"""allauth, the portal's way: where people land after logging in, and how its e-mails read.

Sign-up itself stays allauth's (e-mail and password, e-mail verification mandatory). Linking an
account to a company is not done here but by a join request that the company confirms
(members.services.join_request_create): nobody acts for a company unconfirmed.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from alliance import security
from chambers import roles
from members.models import Person


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Staff land in the back-office (their work is there, not in /me/); a user who does not
        belong to a company yet lands where they can ask to join one. A `next` address wins over
        both (allauth asks this adapter only when there is none)."""
        if roles.is_staff(request.user):
            return reverse("staff:dashboard")
        if not Person.objects.filter(user=request.user).exists():
            return reverse("me:home")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        """Our subjects are whole sentences; allauth's "[example.org]" prefix only adds noise."""
        return str(subject)

    def get_reauthentication_methods(self, user) -> list[dict]:
        """Staff with TOTP re-authenticate with a code (or a recovery code), never with the
        password alone (alliance.security.must_reauthenticate_with_second_factor); everyone
        else with their password, as allauth offers."""
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and security.must_reauthenticate_with_second_factor(user):
            return [method for method in methods if method["id"] != "reauthenticate"]
        return methods
