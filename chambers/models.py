"""Chambers, the alliance they form, the staff who run them, partners and accreditation.

Also the partners' side of the REST API: their keys, the log of their calls, their webhooks.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from alliance.base import audit
from alliance.base.models import DomainError, TimeStampedModel
from alliance.base.validators import WebAddressField, web_address_check
from chambers import validators
from chambers.querysets import ChamberQuerySet, StaffRoleQuerySet


@audit.tracked()
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
    # The region as postcodes: a company whose postcode starts with one of these belongs here
    # (the longest prefix wins), so that the portal can suggest a company its chamber.
    postcode_prefixes = ArrayField(
        models.CharField(max_length=4),
        blank=True,
        default=list,
        verbose_name=_("postcodes van de regio"),
        help_text=_("Het begin van de postcodes van de regio, bv. 22, 23, 24."),
    )
    country = models.CharField(_("land"), max_length=2, default="BE", help_text=_("ISO 3166-1"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    website = WebAddressField(_("website"), blank=True)
    accent = models.CharField(_("accentkleur"), max_length=10, choices=Accent, default=Accent.BLUE)
    # The language the chamber works in: its accreditation report is written in it.
    language = models.CharField(_("taal"), max_length=5, choices=settings.LANGUAGES, default="nl")
    is_active = models.BooleanField(_("actief"), default=True)
    # What the chamber's invoices say about it as the seller (docs/invoicing.md): its own
    # enterprise number identifies it on Peppol (scheme 0208), its bank account gets paid.
    # Database defaults: bulk inserts in SQL (seeding) need not know these columns.
    enterprise_number = models.CharField(
        _("ondernemingsnummer"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        help_text=_("KBO-nummer, 10 cijfers"),
        validators=[validators.validate_enterprise_number],
    )
    vat_number = models.CharField(
        _("btw-nummer"),
        max_length=15,
        blank=True,
        default="",
        db_default="",
        help_text=_("Bv. BE0417123754"),
        validators=[validators.validate_vat_number],
    )
    street = models.CharField(
        _("straat en nummer"), max_length=200, blank=True, default="", db_default=""
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="", db_default="")
    municipality = models.CharField(
        _("gemeente"), max_length=100, blank=True, default="", db_default=""
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=34,
        blank=True,
        default="",
        db_default="",
        validators=[validators.validate_iban],
    )
    bic = models.CharField(
        _("BIC"),
        max_length=11,
        blank=True,
        default="",
        db_default="",
        validators=[validators.validate_bic],
    )

    objects = ChamberQuerySet.as_manager()

    class Meta:
        verbose_name = _("kamer")
        verbose_name_plural = _("kamers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="chamber_country_iso2"
            ),
            models.CheckConstraint(
                condition=web_address_check("website"), name="chamber_website_http"
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


@audit.tracked()
class StaffRole(TimeStampedModel):
    """What a user may do for one chamber, or for the whole alliance when chamber is empty."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Lezer")
        EVENT_MANAGER = "event_manager", _("Activiteitenbeheerder")
        CHAMBER_ADMIN = "chamber_admin", _("Kamerbeheerder")
        ALLIANCE_ADMIN = "alliance_admin", _("Alliantiebeheerder")
        # The federation's reviewers of accreditation cycles: alliance-wide, like alliance admins.
        FEDERATION_REVIEWER = "federation_reviewer", _("Accreditatiebeoordelaar (federatie)")

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
                    Q(role__in=["alliance_admin", "federation_reviewer"], chamber__isnull=True)
                    | Q(role__in=["event_manager", "chamber_admin"], chamber__isnull=False)
                    | Q(role="viewer")
                ),
                name="staff_role_scope",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.chamber or _('alliantie')}"


@audit.tracked()
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
    website = WebAddressField(_("website"), blank=True)
    description = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="partner_country_iso2"
            ),
            models.CheckConstraint(
                condition=web_address_check("website"), name="partner_website_http"
            ),
        ]

    def __str__(self):
        return self.name


@audit.tracked()
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
                violation_error_message=_("Een overeenkomst eindigt niet voor ze begint."),
            ),
            models.CheckConstraint(
                condition=Q(annual_budget__isnull=True) | Q(annual_budget__gte=0),
                name="agreement_budget_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.title}"


class AccreditationPrincipleQuerySet(models.QuerySet):
    def for_chamber(self, chamber):
        """The set a chamber is assessed on: twelve principles, or three pillars abroad."""
        return self.filter(chamber_kind=chamber.kind).order_by("number")


class AccreditationPrinciple(models.Model):
    """What a chamber is accredited against: one of the federation's twelve principles (local
    chambers) or one of the three pillars (bilateral chambers abroad)."""

    number = models.PositiveSmallIntegerField(_("nummer"))
    chamber_kind = models.CharField(
        _("soort kamer"), max_length=20, choices=Chamber.Kind, default=Chamber.Kind.LOCAL
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)

    objects = AccreditationPrincipleQuerySet.as_manager()

    class Meta:
        verbose_name = _("accreditatieprincipe")
        verbose_name_plural = _("accreditatieprincipes")
        ordering = ["chamber_kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber_kind", "number"], name="principle_number_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(chamber_kind="local", number__gte=1, number__lte=12)
                | Q(chamber_kind="bilateral", number__gte=1, number__lte=3),
                name="principle_number_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


@audit.tracked()
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


@audit.tracked()
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


class AccreditationCycleQuerySet(models.QuerySet):
    def undecided(self):
        return self.exclude(status=AccreditationCycle.Status.DECIDED)

    def for_listing(self):
        return self.select_related("chamber", "opened_by").order_by(
            "status", "self_assessment_due", "chamber__name"
        )


@audit.tracked()
class AccreditationCycle(TimeStampedModel):
    """One round of the federation's accreditation of one chamber: opened by the federation,
    a self-assessment per principle by the chamber, a review, a decision.

    The way through: open → submitted → (more_evidence_requested → resubmitted)* → decided.
    A decided cycle holds still: the services refuse, and a trigger (migration 0016) refuses any
    UPDATE of a decided cycle and any change to its answers and evidence.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Zelfevaluatie open")
        SUBMITTED = "submitted", _("Ingediend")
        MORE_EVIDENCE_REQUESTED = "more_evidence_requested", _("Extra bewijs gevraagd")
        RESUBMITTED = "resubmitted", _("Opnieuw ingediend")
        DECIDED = "decided", _("Beslist")

    class Decision(models.TextChoices):
        GRANTED = "granted", _("Toegekend")
        GRANTED_WITH_CONDITIONS = "granted_with_conditions", _("Toegekend onder voorwaarden")
        REFUSED = "refused", _("Geweigerd")

    # Where the chamber may change its answers; where the reviewer may comment and decide.
    EDITABLE = (Status.OPEN, Status.MORE_EVIDENCE_REQUESTED)
    UNDER_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="accreditation_cycles"
    )
    status = models.CharField(_("status"), max_length=30, choices=Status, default=Status.OPEN)
    self_assessment_due = models.DateField(_("zelfevaluatie uiterlijk op"))
    decision_due = models.DateField(_("beslissing uiterlijk op"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geopend door"),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    decision = models.CharField(_("beslissing"), max_length=30, choices=Decision, blank=True)
    decision_comment = models.TextField(_("motivering"), blank=True)
    conditions = models.TextField(_("voorwaarden"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    accreditation = models.OneToOneField(
        Accreditation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycle",
        verbose_name=_("accreditatie"),
    )

    objects = AccreditationCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("accreditatieronde")
        verbose_name_plural = _("accreditatierondes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber"],
                condition=~Q(status="decided"),
                name="one_undecided_cycle_per_chamber",
            ),
            models.CheckConstraint(
                condition=Q(decision_due__gte=F("self_assessment_due")),
                name="cycle_decision_after_self_assessment",
            ),
            # Decided ⇔ a decision, with when; a grant carries its validity period.
            models.CheckConstraint(
                condition=(
                    Q(status="decided", decided_at__isnull=False) & ~Q(decision="")
                    | ~Q(status="decided") & Q(decision="", decided_at__isnull=True)
                ),
                name="cycle_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision="refused")
                | Q(decision="")
                | Q(valid_from__isnull=False, valid_until__gt=F("valid_from")),
                name="cycle_grant_has_validity",
            ),
            models.CheckConstraint(
                condition=~Q(decision="granted_with_conditions") | ~Q(conditions=""),
                name="cycle_conditions_stated",
            ),
        ]

    def __str__(self):
        return (
            f"{self.chamber} · {self.created_at:%Y-%m-%d}" if self.created_at else str(self.chamber)
        )

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_under_review(self) -> bool:
        return self.status in self.UNDER_REVIEW

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED


@audit.tracked()
class AccreditationAnswer(models.Model):
    """The chamber's self-assessment on one principle within one cycle, and the reviewer's
    comment on it. The chamber writes status and explanation; the reviewer the rest."""

    class Status(models.TextChoices):
        MEETS = "meets", _("Voldoet")
        PARTLY = "partly", _("Voldoet gedeeltelijk")
        DOES_NOT_MEET = "does_not_meet", _("Voldoet niet")

    cycle = models.ForeignKey(AccreditationCycle, on_delete=models.CASCADE, related_name="answers")
    principle = models.ForeignKey(
        AccreditationPrinciple, on_delete=models.PROTECT, related_name="answers"
    )
    status = models.CharField(_("beoordeling"), max_length=20, choices=Status, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    reviewer_comment = models.TextField(_("opmerking van de beoordelaar"), blank=True)
    more_evidence_requested = models.BooleanField(_("extra bewijs gevraagd"), default=False)

    class Meta:
        verbose_name = _("zelfevaluatie per principe")
        verbose_name_plural = _("zelfevaluatie per principe")
        ordering = ["principle__number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "principle"], name="one_answer_per_principle"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.principle}"

    @property
    def is_complete(self) -> bool:
        return bool(self.status and self.explanation.strip())


def evidence_path(instance, filename: str) -> str:
    # The stored name is ours (a random token); the chamber's own name is kept in a column.
    return f"accreditation/{instance.answer.cycle_id}/{uuid.uuid4().hex}{_extension(filename)}"


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:10] if dot > 0 else ""


@audit.tracked()
class AccreditationEvidence(models.Model):
    """A file a chamber gives as evidence for one principle, stored through Django's storage."""

    answer = models.ForeignKey(
        AccreditationAnswer, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("bestand"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("soort"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("opgeladen op"), default=timezone.now)

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class AccreditationLogEntry(models.Model):
    """One step of a cycle, for the record: who did what, when, on which principle, and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Ronde geopend")
        ANSWERED = "answered", _("Zelfevaluatie aangepast")
        EVIDENCE_ADDED = "evidence_added", _("Bewijsstuk toegevoegd")
        EVIDENCE_REMOVED = "evidence_removed", _("Bewijsstuk verwijderd")
        SUBMITTED = "submitted", _("Ingediend")
        COMMENTED = "commented", _("Opmerking van de beoordelaar")
        MORE_EVIDENCE_REQUESTED = "more_evidence_requested", _("Extra bewijs gevraagd")
        RESUBMITTED = "resubmitted", _("Opnieuw ingediend")
        DECIDED = "decided", _("Beslist")
        REMINDED = "reminded", _("Herinnering verstuurd")

    cycle = models.ForeignKey(AccreditationCycle, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    action = models.CharField(_("stap"), max_length=30, choices=Action)
    principle = models.ForeignKey(
        AccreditationPrinciple,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principe"),
    )
    comment = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("stap in de accreditatie")
        verbose_name_plural = _("stappen in de accreditatie")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.cycle} · {self.get_action_display()}"


# The partners' REST API: keys, the log of calls made with them, webhook endpoints and deliveries.


class ApiScope(models.TextChoices):
    """What a partner's key may do. The catalogue (chambers, centres, partners) needs no scope."""

    EVENTS_READ = "events:read", _("Activiteiten lezen")
    EVENTS_WRITE = "events:write", _("Activiteiten voorstellen")
    REGISTRATIONS_WRITE = "registrations:write", _("Delegaties inschrijven")
    DIRECTORY_READ = "directory:read", _("Ledengids lezen")
    STATS_READ = "stats:read", _("Cijfers lezen")
    WEBHOOKS_MANAGE = "webhooks:manage", _("Webhooks beheren")
    # The settlement ledger between the alliance's chambers (events/ledger.py).
    LEDGER_READ = "ledger:read", _("Verrekening tussen kamers lezen")
    # The applications for trade missions the partner co-organises (events/missions.py).
    MISSIONS_READ = "missions:read", _("Kandidaturen voor missies lezen")


class PartnerAPIKeyManager(BaseAPIKeyManager):
    def usable(self):
        """Keys that may still be used: not revoked and not expired."""
        return self.filter(
            Q(expiry_date__isnull=True) | Q(expiry_date__gt=timezone.now()), revoked=False
        )


@audit.tracked(exclude=("hashed_key", "last_used_at"))
class PartnerAPIKey(AbstractAPIKey):
    """A partner's key to the REST API.

    Only a hash is stored; the key itself is shown once, when it is made. Its prefix (before the
    dot) is visible, so that a partner and staff can tell keys apart. A key may be limited to some
    chambers (none: every chamber) and carries the scopes it was given; revoking is immediate.
    Every key expires (at most API_KEY_LIFETIME_DAYS after it was made); rotating one makes its
    successor and lets the old one live API_KEY_ROTATION_OVERLAP_DAYS more.
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("partner")
    )
    scopes = ArrayField(
        models.CharField(max_length=30, choices=ApiScope.choices),
        default=list,
        blank=True,
        verbose_name=_("rechten"),
    )
    chambers = models.ManyToManyField(
        Chamber,
        blank=True,
        related_name="api_keys",
        verbose_name=_("kamers"),
        help_text=_("Leeg: alle kamers."),
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = PartnerAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        constraints = [
            models.CheckConstraint(
                condition=Q(scopes__contained_by=ApiScope.values), name="api_key_known_scopes"
            ),
            models.CheckConstraint(
                condition=Q(revoked=False, revoked_at__isnull=True)
                | Q(revoked=True, revoked_at__isnull=False),
                name="api_key_revoked_has_time",
            ),
            # No key forever (chambers.services.api_key_create: API_KEY_LIFETIME_DAYS).
            models.CheckConstraint(condition=Q(expiry_date__isnull=False), name="api_key_expires"),
        ]
        indexes = [models.Index(fields=["partner", "revoked"], name="api_key_partner_idx")]

    def __str__(self):
        return f"{self.partner}: {self.name} ({self.prefix})"

    @property
    def chamber_ids(self) -> list[int]:
        """The chambers this key is limited to; empty when it may see every chamber."""
        if not hasattr(self, "_chamber_ids"):
            self._chamber_ids = list(self.chambers.values_list("pk", flat=True))
        return self._chamber_ids

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def record_call(self, *, method: str, path: str, status_code: int, duration_ms: int) -> None:
        """One line in the partner's call log. In a savepoint: a failed insert spoils nothing."""
        with transaction.atomic():
            ApiCall.objects.create(
                partner_id=self.partner_id,
                key=self,
                key_prefix=self.prefix,
                method=method[:10],
                path=path.replace("\x00", "")[:500],
                status_code=status_code,
                duration_ms=max(duration_ms, 0),
            )

    def revoke(self) -> None:
        """Revoked at once and for good (the library refuses to un-revoke)."""
        if self.revoked:
            raise DomainError(_("Deze sleutel is al ingetrokken."), code="already_revoked")
        self.revoked = True
        self.revoked_at = timezone.now()


class ApiCall(models.Model):
    """One request made with a partner's key; the partner reads its own log through the API."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="api_calls", verbose_name=_("partner")
    )
    key = models.ForeignKey(
        PartnerAPIKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("sleutel"),
    )
    # Kept beside the key so that the log still names it after the key row is deleted.
    key_prefix = models.CharField(_("sleutelprefix"), max_length=8)
    method = models.CharField(_("methode"), max_length=10)
    path = models.CharField(_("pad"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("statuscode"))
    duration_ms = models.PositiveIntegerField(_("duur (ms)"))
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("API-oproep")
        verbose_name_plural = _("API-oproepen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "-created_at"], name="api_call_partner_idx")]

    def __str__(self):
        return f"{self.method} {self.path} → {self.status_code}"


class WebhookEventType(models.TextChoices):
    EVENT_PUBLISHED = "event.published", _("Activiteit gepubliceerd")
    EVENT_UPDATED = "event.updated", _("Activiteit gewijzigd")
    EVENT_CANCELLED = "event.cancelled", _("Activiteit geannuleerd")
    REGISTRATION_CONFIRMED = "registration.confirmed", _("Inschrijving bevestigd")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Inschrijving geannuleerd")


def new_webhook_secret() -> str:
    """The shared secret an endpoint's deliveries are signed with: 256 bits."""
    return "whsec_" + secrets.token_urlsafe(32)


@audit.tracked(exclude=("secret", "previous_secret"))
class WebhookEndpoint(TimeStampedModel):
    """An address of a partner's that receives signed JSON deliveries for the events it chose.

    Limited to some chambers' events when `chambers` is not empty. An endpoint that answers
    410 Gone is switched off; its partner switches it on again.
    """

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("partner"),
    )
    url = models.URLField(_("adres"), max_length=500)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    event_types = ArrayField(
        models.CharField(max_length=40, choices=WebhookEventType.choices),
        verbose_name=_("gebeurtenissen"),
    )
    chambers = models.ManyToManyField(
        Chamber,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("kamers"),
        help_text=_("Leeg: alle kamers."),
    )
    secret = models.CharField(
        _("geheim"), max_length=80, default=new_webhook_secret, editable=False
    )
    # After a rotation the old secret signs too, beside the new one, until this moment: the
    # partner's receiver switches without losing a delivery (WEBHOOK_SECRET_OVERLAP_HOURS).
    previous_secret = models.CharField(
        _("vorig geheim"), max_length=80, blank=True, default="", editable=False
    )
    previous_secret_expires_at = models.DateTimeField(
        _("vorig geheim geldig tot"), null=True, blank=True, editable=False
    )
    is_active = models.BooleanField(_("actief"), default=True)
    disabled_at = models.DateTimeField(_("uitgeschakeld op"), null=True, blank=True)
    disabled_reason = models.CharField(_("reden"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook-adres")
        verbose_name_plural = _("webhook-adressen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_types__contained_by=WebhookEventType.values)
                & Q(event_types__len__gt=0),
                name="webhook_endpoint_known_event_types",
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.url}"

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the previous one
        during the overlap after a rotation."""
        now = now or timezone.now()
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and now < (self.previous_secret_expires_at)
        ):
            return [self.secret, self.previous_secret]
        return [self.secret]

    def disable(self, reason: str) -> None:
        self.is_active = False
        self.disabled_at = timezone.now()
        self.disabled_reason = reason[:200]


class WebhookDelivery(models.Model):
    """One message for one endpoint, with its attempts.

    The id travels in a header: a receiver that sees the same id twice (a retry, or a delivery
    the partner asked to send again) can ignore the second one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Te versturen")
        SUCCEEDED = "succeeded", _("Afgeleverd")
        FAILED = "failed", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook-adres"),
    )
    event_type = models.CharField(_("gebeurtenis"), max_length=40, choices=WebhookEventType.choices)
    payload = models.JSONField(_("inhoud"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    # Attempts since the delivery was (re)queued: the back-off counts these.
    series_attempts = models.PositiveIntegerField(_("pogingen in deze reeks"), default=0)
    last_attempt_at = models.DateTimeField(_("laatste poging op"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("laatste antwoordcode"), null=True, blank=True
    )
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging op"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook-bericht")
        verbose_name_plural = _("webhook-berichten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="succeeded") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint.url} ({self.get_status_display()})"
