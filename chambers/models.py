"""Chambers, the alliance they form, the staff who run them, partners and accreditation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliance.base.models import TimeStampedModel
from chambers.querysets import ChamberQuerySet, StaffRoleQuerySet


class Chamber(TimeStampedModel):
    """A chamber of commerce: independent, with its own region, staff and members."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Lokale kamer")
        BILATERAL = "bilateral", _("Bilaterale kamer in het buitenland")

    class Accent(models.TextChoices):
        # Colour-blind-safe hues, used only for small marks (UI.md).
        BLUE = "blue", _("blauw")
        ORANGE = "orange", _("oranje")
        GREEN = "green", _("groen")
        PURPLE = "purple", _("paars")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.LOCAL)
    region = models.CharField(_("regio"), max_length=200, blank=True)
    country = models.CharField(_("land"), max_length=2, default="BE", help_text=_("ISO 3166-1"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    accent = models.CharField(_("accentkleur"), max_length=10, choices=Accent, default=Accent.BLUE)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = ChamberQuerySet.as_manager()

    class Meta:
        verbose_name = _("kamer")
        verbose_name_plural = _("kamers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="chamber_country_iso2"
            ),
        ]

    def __str__(self):
        return self.name


class Alliance(TimeStampedModel):
    """Chambers that bundle services, representation and networking while staying independent."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    signed_on = models.DateField(_("ondertekend op"))
    target_date = models.DateField(
        _("streefdatum één structuur"),
        null=True,
        blank=True,
        help_text=_("Wanneer de kamers samen één bovenlokale structuur willen vormen."),
    )
    description = models.TextField(_("beschrijving"), blank=True)
    chambers = models.ManyToManyField(
        Chamber, through="AllianceChamber", related_name="alliances", verbose_name=_("kamers")
    )

    class Meta:
        verbose_name = _("alliantie")
        verbose_name_plural = _("allianties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gt=F("signed_on")),
                name="alliance_target_after_signing",
            ),
        ]

    def __str__(self):
        return self.name


class AllianceChamber(models.Model):
    """A chamber's place in an alliance, with the date it joined."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    chamber = models.ForeignKey(Chamber, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("toegetreden op"))

    class Meta:
        verbose_name = _("kamer in de alliantie")
        verbose_name_plural = _("kamers in de alliantie")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "chamber"], name="alliance_chamber_once"),
        ]

    def __str__(self):
        return f"{self.chamber} ∈ {self.alliance}"


class StaffRole(TimeStampedModel):
    """What a user may do for one chamber, or for the whole alliance when chamber is empty."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Lezer")
        EVENT_MANAGER = "event_manager", _("Activiteitenbeheerder")
        CHAMBER_ADMIN = "chamber_admin", _("Kamerbeheerder")
        ALLIANCE_ADMIN = "alliance_admin", _("Alliantiebeheerder")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    chamber = models.ForeignKey(
        Chamber,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        help_text=_("Leeg: voor de hele alliantie."),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("personeelsrol")
        verbose_name_plural = _("personeelsrollen")
        constraints = [
            # One role per user and chamber (and one alliance-wide role): NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["user", "chamber"], name="staff_role_once", nulls_distinct=False
            ),
            # Event managers and chamber admins act for a chamber; alliance admins for all.
            models.CheckConstraint(
                condition=(
                    Q(role="alliance_admin", chamber__isnull=True)
                    | Q(role__in=["event_manager", "chamber_admin"], chamber__isnull=False)
                    | Q(role="viewer")
                ),
                name="staff_role_scope",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.chamber or _('alliantie')}"


class Partner(TimeStampedModel):
    """An organisation outside the alliance that cooperates with it by agreement."""

    class Kind(models.TextChoices):
        DEVELOPMENT_AGENCY = "development_agency", _("Ontwikkelingsmaatschappij")
        TRADE_AGENCY = "trade_agency", _("Handelsagentschap")
        SECTOR_FEDERATION = "sector_federation", _("Sectorfederatie")
        CLUSTER = "cluster", _("Cluster")
        BILATERAL_CHAMBER = "bilateral_chamber", _("Bilaterale kamer")
        EMPLOYERS_ORGANISATION = "employers_organisation", _("Werkgeversorganisatie")
        PUBLIC_BODY = "public_body", _("Overheidsinstelling")
        OTHER = "other", _("Andere")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind)
    country = models.CharField(_("land"), max_length=2, default="BE")
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="partner_country_iso2"
            ),
        ]

    def __str__(self):
        return self.name


class PartnerAgreement(TimeStampedModel):
    """A partner agreement with the whole alliance or with one chamber.

    Its themes (competence centres, sectors) are declared by the apps that own those models
    (`competence_centres`, `sectors`), so that chambers depends on nothing above it.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, null=True, blank=True, related_name="agreements"
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, null=True, blank=True, related_name="agreements"
    )
    title = models.CharField(_("titel"), max_length=200)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    annual_budget = models.DecimalField(
        _("jaarbudget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notities"), blank=True)

    class Meta:
        verbose_name = _("partnerovereenkomst")
        verbose_name_plural = _("partnerovereenkomsten")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(alliance__isnull=False, chamber__isnull=True)
                    | Q(alliance__isnull=True, chamber__isnull=False)
                ),
                name="agreement_with_alliance_or_chamber",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="agreement_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(annual_budget__isnull=True) | Q(annual_budget__gte=0),
                name="agreement_budget_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.title}"


class AccreditationPrinciple(models.Model):
    """One of the federation's twelve principles a local chamber is accredited against."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        verbose_name = _("accreditatieprincipe")
        verbose_name_plural = _("accreditatieprincipes")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="principle_number_1_to_12"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Accreditation(TimeStampedModel):
    """The federation's accreditation of a chamber for a period, assessed per principle."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("In beoordeling")
        GRANTED = "granted", _("Toegekend")
        SUSPENDED = "suspended", _("Geschorst")
        EXPIRED = "expired", _("Verlopen")

    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="accreditations")
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.IN_REVIEW)

    class Meta:
        verbose_name = _("accreditatie")
        verbose_name_plural = _("accreditaties")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="accreditation_until_after_from",
            ),
            # A chamber has at most one granted accreditation at a time.
            models.UniqueConstraint(
                fields=["chamber"], condition=Q(status="granted"), name="one_granted_accreditation"
            ),
        ]

    def __str__(self):
        return f"{self.chamber} {self.valid_from:%Y}–{self.valid_until:%Y}"


class AccreditationAssessment(models.Model):
    """How a chamber scores on one principle within one accreditation."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="assessments"
    )
    principle = models.ForeignKey(
        AccreditationPrinciple, on_delete=models.PROTECT, related_name="assessments"
    )
    compliant = models.BooleanField(
        _("voldoet"), null=True, help_text=_("Leeg: nog niet beoordeeld.")
    )
    evidence = models.TextField(_("bewijsstukken"), blank=True)
    note = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["principle__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "principle"], name="one_assessment_per_principle"
            ),
        ]

    def __str__(self):
        return f"{self.accreditation} · {self.principle}"
