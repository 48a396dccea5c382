"""What the members app does when something happens elsewhere (connected in apps.py ready())."""

from allauth.account.signals import email_confirmed

from members import services


def link_invited_admin(sender, request, email_address, **kwargs) -> None:
    """A company admin named by staff makes their account: confirming the address links it."""
    services.invited_admin_link(user=email_address.user, email=email_address.email)


def connect() -> None:
    email_confirmed.connect(link_invited_admin, dispatch_uid="members.link_invited_admin")
