"""Competence centres: themes one chamber leads for the members of the whole alliance."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.base.models import TimeStampedModel
from competences.querysets import CompetenceCentreQuerySet, ServiceQuerySet


class CompetenceCentre(TimeStampedModel):
    """A theme where one chamber is strongest and serves every alliance chamber's members."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    lead_chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="led_centres",
        verbose_name=_("trekkende kamer"),
    )
    alliance = models.ForeignKey(
        "chambers.Alliance",
        on_delete=models.PROTECT,
        related_name="centres",
        verbose_name=_("alliantie"),
    )
    description = models.TextField(_("beschrijving"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    # A centre that stops is hidden from members and partners, not deleted: its service requests
    # and events keep pointing at it.
    is_active = models.BooleanField(_("actief"), default=True)
    # The agreement's themes: declared here so that chambers depends on nothing above it.
    partner_agreements = models.ManyToManyField(
        "chambers.PartnerAgreement",
        blank=True,
        related_name="competence_centres",
        verbose_name=_("partnerovereenkomsten"),
    )

    objects = CompetenceCentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("competentiecentrum")
        verbose_name_plural = _("competentiecentra")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="centre_name_per_alliance"),
        ]

    def __str__(self):
        return self.name


class Service(TimeStampedModel):
    """Something a competence centre offers: advice, a mission, a training, ..."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("Advies")
        TRADE_MISSION = "trade_mission", _("Handelsmissie")
        TRAINING = "training", _("Opleiding")
        NETWORKING = "networking", _("Netwerking")
        INTEREST_REPRESENTATION = "interest_representation", _("Belangenbehartiging")
        INFORMATION = "information", _("Informatie")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Leden van de alliantie")
        EVERYONE = "everyone", _("Iedereen")

    centre = models.ForeignKey(
        CompetenceCentre,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("competentiecentrum"),
    )
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind)
    description = models.TextField(_("beschrijving"), blank=True)
    audience = models.CharField(
        _("doelgroep"), max_length=10, choices=Audience, default=Audience.MEMBERS
    )
    price_note = models.CharField(_("prijs"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "slug"], name="service_slug_per_centre"),
        ]

    def __str__(self):
        return self.name
