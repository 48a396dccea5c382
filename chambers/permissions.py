"""Who may see and act for partners in the back-office (/staff/partners/), for views and templates.

Staff see the partners that have an agreement with the alliance of one of their chambers or with
one of their chambers (READ_ROLES); any other partner is a 404. Making and revoking API keys needs
PARTNER_ROLES at a chamber linked to the partner; a chamber admin only makes keys limited to their
own chambers and only revokes such keys, so that no key reaches further than its maker.
"""

from django.db.models import Q, QuerySet

from chambers import roles
from chambers.models import Chamber, Partner, PartnerAgreement, PartnerAPIKey


def _agreement_scope(chamber_ids) -> Q:
    """Agreements with one of `chamber_ids` or with an alliance one of them belongs to."""
    return Q(chamber_id__in=chamber_ids) | Q(alliance__memberships__chamber_id__in=chamber_ids)


def visible_agreements(user) -> QuerySet:
    if roles.is_alliance_admin(user):
        return PartnerAgreement.objects.all()
    chamber_ids = roles.chamber_ids_where(user, roles.READ_ROLES)
    return PartnerAgreement.objects.filter(
        pk__in=PartnerAgreement.objects.filter(_agreement_scope(chamber_ids)).values("pk")
    )


def staff_partners(user) -> QuerySet:
    """The partners `user` may open: those with an agreement they can see (alliance admins: all
    of them, a partner without an agreement yet included)."""
    if roles.is_alliance_admin(user):
        return Partner.objects.all()
    return Partner.objects.filter(pk__in=visible_agreements(user).values("partner_id"))


def can_manage_partner(user, partner: Partner) -> bool:
    """Make and revoke the partner's API keys."""
    if roles.is_alliance_admin(user):
        return True
    chamber_ids = roles.chamber_ids_where(user, roles.PARTNER_ROLES)
    if not chamber_ids:
        return False
    return PartnerAgreement.objects.filter(_agreement_scope(chamber_ids), partner=partner).exists()


def key_chamber_choices(user) -> QuerySet:
    """The chambers a new key may be limited to: those where `user` manages partners."""
    return roles.chambers_where(user, roles.PARTNER_ROLES).order_by("name")


def must_limit_key(user) -> bool:
    """Only alliance admins make keys for every chamber."""
    return not roles.is_alliance_admin(user)


def can_revoke_key(user, api_key: PartnerAPIKey) -> bool:
    """A key still in use, limited to the user's chambers (alliance admins: every key).

    Reads `api_key.chambers.all()`: prefetch it on lists.
    """
    if api_key.revoked:
        return False
    if roles.is_alliance_admin(user):
        return True
    mine = roles.chamber_ids_where(user, roles.PARTNER_ROLES)
    limited_to = {chamber.pk for chamber in api_key.chambers.all()}
    return bool(limited_to) and limited_to <= mine


def editable_chambers(user) -> QuerySet:
    """The chambers whose public page `user` edits (/staff/chambers/): CHAMBER_PAGE_ROLES."""
    return Chamber.objects.filter(pk__in=roles.chamber_ids_where(user, roles.CHAMBER_PAGE_ROLES))


def may_add_partners(user) -> bool:
    """Alliance admins add and change partners; chamber admins make agreements with them."""
    return roles.is_alliance_admin(user)


def may_make_agreements(user) -> bool:
    return roles.is_alliance_admin(user) or bool(roles.chamber_ids_where(user, roles.PARTNER_ROLES))


def may_make_agreement_with(user, *, alliance=None, chamber=None) -> bool:
    """Alliance admins make agreements with anyone's name on them; a chamber admin
    (PARTNER_ROLES) only those with their own chamber, never one with the whole alliance."""
    if roles.is_alliance_admin(user):
        return True
    return chamber is not None and chamber.pk in roles.chamber_ids_where(user, roles.PARTNER_ROLES)


def can_manage_agreement(user, agreement: PartnerAgreement) -> bool:
    """Change or end it: the same rule as making it."""
    return may_make_agreement_with(user, alliance=agreement.alliance, chamber=agreement.chamber)
