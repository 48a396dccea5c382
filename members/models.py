"""Member companies, their memberships at a home chamber, their people and what they ask for."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.base import audit
from alliance.base.choices import Language
from alliance.base.models import DomainError, TimeStampedModel
from alliance.base.validators import WebAddressField, web_address_check
from members import countries, enterprise_numbers, identifiers, validators
from members.querysets import (
    CompanyQuerySet,
    MembershipApplicationQuerySet,
    MembershipQuerySet,
    ProspectQuerySet,
    ServiceRequestQuerySet,
)


class Sector(models.Model):
    """A sector or focus theme that companies, events and agreements are tagged with."""

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    nace_code = models.CharField(
        _("NACE-code"), max_length=10, blank=True, help_text=_("bv. C20 of 46.1")
    )
    # The agreement's themes: declared here so that chambers depends on nothing above it.
    partner_agreements = models.ManyToManyField(
        "chambers.PartnerAgreement",
        blank=True,
        related_name="sectors",
        verbose_name=_("partnerovereenkomsten"),
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectoren")
        ordering = ["name"]

    def __str__(self):
        return self.name


# What a company agrees to when it lets partners see its profile; stored with each consent.
PARTNER_CONSENT_PURPOSE = _(
    "De partners van de alliantie (handelsagentschappen, sectorfederaties, "
    "ontwikkelingsmaatschappijen) mogen het bedrijfsprofiel van de onderneming zien via hun "
    "API-toegang, om ondernemingen met elkaar in contact te brengen. Er worden geen "
    "persoonsgegevens gedeeld."
)


@audit.tracked(exclude=("search_vector",))
class Company(TimeStampedModel):
    """A company; a member when it holds an active membership at a chamber."""

    class LegalForm(models.TextChoices):
        BV = "bv", _("BV (besloten vennootschap)")
        NV = "nv", _("NV (naamloze vennootschap)")
        CV = "cv", _("CV (coöperatieve vennootschap)")
        VZW = "vzw", _("vzw")
        SOLE_TRADER = "sole_trader", _("Eenmanszaak")
        OTHER = "other", _("Andere")

    class SizeClass(models.TextChoices):
        MICRO = "micro", _("1–9 werknemers")
        SMALL = "small", _("10–49 werknemers")
        MEDIUM = "medium", _("50–249 werknemers")
        LARGE = "large", _("250+ werknemers")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    country = models.CharField(
        _("land"),
        max_length=2,
        choices=countries.COUNTRIES,
        default=countries.BELGIUM,
        db_default=countries.BELGIUM,
    )
    # Belgian companies only (members/identifiers.py says which number each country has).
    enterprise_number = models.CharField(
        _("ondernemingsnummer"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[enterprise_numbers.validate_enterprise_number],
        help_text=_("KBO-nummer, 10 cijfers (Belgische ondernemingen)"),
    )
    registration_number = models.CharField(
        _("registratienummer"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text=_("Het nummer in het handelsregister van het land, bv. het KvK-nummer"),
    )
    vat_number = models.CharField(
        _("btw-nummer"),
        max_length=15,
        blank=True,
        default="",
        db_default="",
        help_text=_("Europees btw-nummer met landcode, bv. NL004495445B01"),
    )
    legal_form = models.CharField(_("rechtsvorm"), max_length=20, choices=LegalForm)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="companies", verbose_name=_("sectoren")
    )
    size_class = models.CharField(_("grootte"), max_length=10, choices=SizeClass)
    street = models.CharField(_("straat en nummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    municipality = models.CharField(_("gemeente"), max_length=100)
    website = WebAddressField(_("website"), blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    is_family_business = models.BooleanField(_("familiebedrijf"), default=False)
    founded_year = models.PositiveSmallIntegerField(_("opgericht in"), null=True, blank=True)
    export_countries = ArrayField(
        models.CharField(max_length=2), blank=True, default=list, verbose_name=_("exportlanden")
    )
    languages = ArrayField(
        models.CharField(max_length=2), blank=True, default=list, verbose_name=_("talen")
    )
    directory_consent = models.BooleanField(
        _("zichtbaar in de ledengids"),
        default=False,
        help_text=_("De onderneming stemt in met een profiel in de openbare ledengids."),
    )
    directory_consent_at = models.DateTimeField(_("toestemming gegeven op"), null=True, blank=True)
    # A consent of its own: being shown to the alliance's partners (through their API) is not the
    # same as appearing in the public directory. Recorded with its date and the purpose agreed to.
    # Database defaults too: bulk inserts in SQL (imports, seeding) need not know these columns.
    partner_consent = models.BooleanField(
        _("zichtbaar voor partners"),
        default=False,
        db_default=False,
        help_text=_("De onderneming stemt in met een profiel voor de partners van de alliantie."),
    )
    partner_consent_at = models.DateTimeField(
        _("toestemming partners gegeven op"), null=True, blank=True
    )
    partner_consent_purpose = models.TextField(
        _("doel van de toestemming"), blank=True, default="", db_default=""
    )
    # Stored and indexed by PostgreSQL itself, never computed per query (ARCHITECTURE.md).
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="dutch")
        + SearchVector("municipality", weight="B", config="dutch")
        + SearchVector("description", weight="C", config="dutch"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("onderneming")
        verbose_name_plural = _("ondernemingen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=web_address_check("website"), name="company_website_http"
            ),
            models.CheckConstraint(
                condition=Q(enterprise_number__isnull=True)
                | enterprise_numbers.database_check("enterprise_number"),
                name="company_enterprise_number_valid",
            ),
            *[
                models.CheckConstraint(condition=condition, name=name)
                for name, condition in identifiers.database_checks().items()
            ],
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                condition=~Q(registration_number=""),
                name="company_registration_number_unique",
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=~Q(vat_number=""),
                name="company_vat_number_unique",
            ),
            models.CheckConstraint(
                condition=validators.postcode_check(), name="company_postcode_per_country"
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(founded_year__gte=1700, founded_year__lte=2100),
                name="company_founded_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(directory_consent=False) | Q(directory_consent_at__isnull=False),
                name="company_consent_has_date",
            ),
            models.CheckConstraint(
                condition=Q(partner_consent=False)
                | (Q(partner_consent_at__isnull=False) & ~Q(partner_consent_purpose="")),
                name="company_partner_consent_has_date_and_purpose",
            ),
        ]
        indexes = [
            models.Index(fields=["postcode"], name="company_postcode_idx"),
            # The directory's default order.
            models.Index(fields=["name"], name="company_name_idx"),
            GinIndex(fields=["search_vector"], name="company_search_idx"),
            # Typo-tolerant look-ups ("Mechlen" finds Mechelen) with pg_trgm.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="company_name_trgm_idx"),
            GinIndex(
                fields=["municipality"],
                opclasses=["gin_trgm_ops"],
                name="company_municipality_trgm_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        try:
            identifiers.clean_company(self)
        except ValidationError as error:
            errors.update(error.error_dict)
        if self.postcode:
            try:
                self.postcode = validators.normalise_postcode(self.postcode, self.country)
            except ValidationError as error:
                errors["postcode"] = error
        if errors:
            raise ValidationError(errors)
        if self.partner_consent and not (self.partner_consent_at and self.partner_consent_purpose):
            # Switched on in a form: record when, and what was agreed to.
            self.give_partner_consent(self.partner_consent_purpose)

    @property
    def enterprise_number_display(self) -> str:
        """The company's number as people write it, whatever its country (a KvK number for a
        Dutch company): every page that showed the enterprise number shows this."""
        return identifiers.display(self)

    @property
    def identifier_label(self) -> str:
        return identifiers.label(self.country)

    def give_partner_consent(self, purpose: str = "") -> None:
        """Agree to be shown to the alliance's partners, for `purpose` (the text agreed to)."""
        self.partner_consent = True
        self.partner_consent_at = timezone.now()
        self.partner_consent_purpose = purpose or str(PARTNER_CONSENT_PURPOSE)

    def withdraw_partner_consent(self) -> None:
        """Partners stop seeing the company at once; the date records the withdrawal."""
        self.partner_consent = False
        self.partner_consent_at = timezone.now()


class ConsentRecord(models.Model):
    """One change of a company's consent: given or withdrawn, for which purpose, by whom, when.

    Append-only: the company's flags say what holds now, these rows say how it came to be (the
    GDPR asks a controller to show that consent was given). Nothing updates or deletes a row;
    the row of a company goes with the company.
    """

    class Purpose(models.TextChoices):
        DIRECTORY = "directory", _("Openbare ledengids")
        PARTNERS = "partners", _("Profiel voor de partners")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Mijn portaal")
        STAFF = "staff", _("Back-office")
        IMPORT = "import", _("Import of demo")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose)
    given = models.BooleanField(_("gegeven"))
    # What was agreed to, word for word (the text changes; the agreement keeps its own).
    text = models.TextField(_("tekst"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    source = models.CharField(_("via"), max_length=20, choices=Source, default=Source.PORTAL)
    recorded_at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["company", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.company_id} {self.purpose} {'+' if self.given else '-'} {self.recorded_at}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise DomainError(_("Een toestemming wordt niet gewijzigd."), code="consent_immutable")
        super().save(*args, **kwargs)

    # Staff recording a consent on a company's behalf say who gave it ("telefonisch, van An
    # Peeters"); it is kept with the text agreed to, after this mark, until the record has a
    # column of its own.
    GIVEN_BY_MARK = "\n\n— "

    @classmethod
    def with_given_by(cls, text: str, given_by: str) -> str:
        return f"{text}{cls.GIVEN_BY_MARK}{given_by}"

    @property
    def given_by(self) -> str:
        """Who gave the consent and how, as staff recorded it ("" when given in the portal)."""
        _text, mark, given_by = self.text.rpartition(self.GIVEN_BY_MARK)
        return given_by if mark else ""


@audit.tracked()
class Membership(TimeStampedModel):
    """A company's membership at its home chamber for a period."""

    class Tier(models.TextChoices):
        STARTER = "starter", _("Starter")
        STANDARD = "standard", _("Standaard")
        PREMIUM = "premium", _("Premium")

    class Status(models.TextChoices):
        PENDING = "pending", _("Aangevraagd")
        ACTIVE = "active", _("Actief")
        LAPSED = "lapsed", _("Vervallen")
        ENDED = "ended", _("Beëindigd")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("onderneming")
    )
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("thuiskamer"),
    )
    tier = models.CharField(_("formule"), max_length=10, choices=Tier, default=Tier.STANDARD)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot"))
    annual_fee = models.DecimalField(_("jaarbijdrage (EUR)"), max_digits=10, decimal_places=2)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(status="active"), name="one_active_membership"
            ),
            models.UniqueConstraint(
                fields=["company", "chamber", "valid_from"], name="membership_period_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="membership_until_after_from"
            ),
            models.CheckConstraint(
                condition=Q(annual_fee__gte=0), name="membership_fee_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["chamber", "status"], name="membership_chamber_status_idx"),
            models.Index(fields=["status", "valid_until"], name="membership_due_idx"),
        ]

    def __str__(self):
        return f"{self.company} @ {self.chamber} ({self.get_status_display()})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.ACTIVE and self.valid_from <= on <= self.valid_until

    # What may happen to a period, written once for the services (which refuse) and the pages
    # (which offer the buttons). `followed`: a later period that is not ended comes after this
    # one (MembershipQuerySet.with_followed); only the latest period changes.
    def may_renew(self, *, followed: bool) -> bool:
        return not followed and self.status in (self.Status.ACTIVE, self.Status.LAPSED)

    def may_lapse(self, *, followed: bool) -> bool:
        return not followed and self.status == self.Status.ACTIVE

    def may_end(self, *, followed: bool) -> bool:
        return not followed and self.status != self.Status.ENDED


@audit.tracked()
class FreeSeatAllowance(TimeStampedModel):
    """Free seats a membership tier includes per calendar year (e.g. two free trainings for a
    chamber's "premium" members), set by the chamber.

    `event_kind` is an Event.Kind value ("training"), or empty for any kind of event. A company
    whose active membership at `chamber` has `tier` registers for free for as many events (of
    that kind) starting in one year; a cancelled free seat comes back (events/free_seats.py).
    """

    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.CASCADE,
        related_name="free_seat_allowances",
        verbose_name=_("kamer"),
    )
    tier = models.CharField(_("formule"), max_length=10, choices=Membership.Tier)
    event_kind = models.CharField(
        _("soort activiteit"), max_length=20, blank=True, help_text=_("Leeg: elke soort.")
    )
    seats = models.PositiveIntegerField(_("gratis plaatsen per jaar"))

    class Meta:
        verbose_name = _("gratis plaatsen van een formule")
        verbose_name_plural = _("gratis plaatsen van formules")
        ordering = ["chamber", "tier", "event_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "tier", "event_kind"], name="one_free_seat_allowance"
            ),
            models.CheckConstraint(condition=Q(seats__gt=0), name="free_seats_positive"),
        ]

    def __str__(self):
        return (
            f"{self.chamber} · {self.get_tier_display()} · {self.event_kind or '*'}: {self.seats}"
        )


@audit.tracked(exclude=("calendar_token_hash",), manual=(audit.ERASE,))
class Person(TimeStampedModel):
    """Someone at a member company; linked to a user account once they log in."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Beheerder van de onderneming")
        EMPLOYEE = "employee", _("Medewerker")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("gebruiker"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="people", verbose_name=_("onderneming")
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role, default=Role.EMPLOYEE)
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("voorkeurtaal"), max_length=2, choices=Language, default=Language.NL
    )
    newsletter_consent = models.BooleanField(_("wil nieuwsbrieven ontvangen"), default=False)
    event_suggestions_consent = models.BooleanField(
        _("wil activiteiten voorgesteld krijgen"), default=False
    )
    consents_updated_at = models.DateTimeField(
        _("toestemmingen gewijzigd op"), null=True, blank=True
    )
    interest_centres = models.ManyToManyField(
        "competences.CompetenceCentre",
        blank=True,
        related_name="interested_people",
        verbose_name=_("interesse in competentiecentra"),
    )
    interest_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="interested_people",
        verbose_name=_("interesse in sectoren"),
    )

    # The SHA-256 of the secret in the personal iCal feed's URL (calendar_token_digest); the
    # secret itself is shown once, when made, and never stored. Empty when revoked.
    calendar_token_hash = models.CharField(
        _("agenda-sleutel (hash)"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    # Set when the person was erased on request (members.services.person_erase): the row stays,
    # anonymised, so that their registrations keep counting in the figures.
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True, editable=False)
    # A colleague a company admin booked for an event before they had an account: invited to
    # make one with this address, which then becomes theirs (services.invited_admin_link).
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"], name="person_email_once_per_company"
            ),
        ]
        indexes = [models.Index(fields=["email"], name="person_email_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_company_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def has_calendar_feed(self) -> bool:
        return self.calendar_token_hash is not None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def renew_calendar_token(self) -> str:
        """A new secret for the personal calendar feed, returned this once (only its hash is
        kept); the old URL stops working at once."""
        token = secrets.token_urlsafe(32)
        self.calendar_token_hash = calendar_token_digest(token)
        return token


def calendar_token_digest(token: str) -> str:
    """What is stored of a calendar token, and looked up by. A plain SHA-256 suffices: the
    token is 256 random bits, nothing to guess from a leaked hash."""
    return hashlib.sha256(token.encode()).hexdigest()


@audit.tracked()
class JoinRequest(TimeStampedModel):
    """A user asking to act for a company; a company admin or the home chamber's staff decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In afwachting")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("gebruiker"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("onderneming"),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    message = models.TextField(_("bericht"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanvraag om toe te treden")
        verbose_name_plural = _("aanvragen om toe te treden")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_join_request"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="join_request_decided_iff_not_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.company} ({self.get_status_display()})"


@audit.tracked()
class Prospect(models.Model):
    """A company that is not (yet) a member of a chamber but came to it: registered for one of
    its events as a non-member. The chamber's staff see it and may convert it into a member.

    Once per company and chamber (a database constraint): a second event of the same chamber
    does not make a second prospect. The source is kept as text (the event's title), so that
    members, below events, knows nothing of events.
    """

    class Source(models.TextChoices):
        EVENT = "event", _("Inschrijving voor een activiteit")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="prospects", verbose_name=_("onderneming")
    )
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.CASCADE,
        related_name="prospects",
        verbose_name=_("kamer"),
    )
    source = models.CharField(_("bron"), max_length=20, choices=Source, default=Source.EVENT)
    source_detail = models.CharField(_("via"), max_length=300, blank=True)
    # The person who registered: staff may make them the company's admin on conversion.
    contact = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contactpersoon"),
    )
    created_at = models.DateTimeField(_("sinds"), default=timezone.now, db_index=True)
    converted_at = models.DateTimeField(_("lid geworden op"), null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("omgezet door"),
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lidmaatschap"),
    )

    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospecten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "chamber"], name="prospect_once_per_chamber"
            ),
        ]
        indexes = [models.Index(fields=["chamber", "converted_at"], name="prospect_chamber_idx")]

    def __str__(self):
        return f"{self.company_id} @ {self.chamber_id}"

    @property
    def is_converted(self) -> bool:
        return self.converted_at is not None


@audit.tracked()
class MembershipApplication(TimeStampedModel):
    """A company asking a chamber for membership: the tier it chooses and the admin it names.

    The chamber's member staff approve (the membership starts, the applicant becomes the
    company's admin) or decline it; who decided and when is kept. One pending application per
    company (a database constraint).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("In afwachting")
        APPROVED = "approved", _("Goedgekeurd")
        DECLINED = "declined", _("Afgewezen")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="membership_applications",
        verbose_name=_("onderneming"),
    )
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="membership_applications",
        verbose_name=_("kamer"),
    )
    tier = models.CharField(_("formule"), max_length=10, choices=Membership.Tier)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_applications",
        verbose_name=_("aanvrager"),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    message = models.TextField(_("bericht"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decline_reason = models.TextField(_("reden"), blank=True)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lidmaatschap"),
    )

    objects = MembershipApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag voor lidmaatschap")
        verbose_name_plural = _("aanvragen voor lidmaatschap")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(status="pending"),
                name="one_pending_membership_application",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="membership_application_decided_iff_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["chamber", "status"], name="application_chamber_idx")]

    def __str__(self):
        return f"{self.company} → {self.chamber} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


@audit.tracked()
class ServiceRequest(TimeStampedModel):
    """A member company asking a competence centre for help."""

    class Status(models.TextChoices):
        NEW = "new", _("Nieuw")
        ASSIGNED = "assigned", _("Toegewezen")
        IN_PROGRESS = "in_progress", _("In behandeling")
        DONE = "done", _("Afgehandeld")
        DECLINED = "declined", _("Geweigerd")

    # Which status may follow which; done and declined are final.
    TRANSITIONS = {
        Status.NEW: {Status.ASSIGNED, Status.DECLINED},
        Status.ASSIGNED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.DECLINED},
        Status.IN_PROGRESS: {Status.DONE, Status.DECLINED},
        Status.DONE: set(),
        Status.DECLINED: set(),
    }

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="service_requests",
        verbose_name=_("onderneming"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="service_requests", verbose_name=_("persoon")
    )
    centre = models.ForeignKey(
        "competences.CompetenceCentre",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("competentiecentrum"),
    )
    service = models.ForeignKey(
        "competences.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("dienst"),
    )
    message = models.TextField(_("vraag"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        verbose_name=_("behandelaar"),
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("dienstverleningsvraag")
        verbose_name_plural = _("dienstverleningsvragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "in_progress", "done"])
                | Q(assignee__isnull=False, assigned_at__isnull=False),
                name="service_request_worked_on_has_assignee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "declined"], closed_at__isnull=False)
                | Q(~Q(status__in=["done", "declined"]), closed_at__isnull=True),
                name="service_request_closed_iff_final",
            ),
            models.CheckConstraint(condition=~Q(message=""), name="service_request_has_message"),
        ]
        indexes = [
            models.Index(fields=["centre", "status"], name="service_request_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.company} → {self.centre} ({self.get_status_display()})"

    def _move_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.Status(self.status)]:
            raise DomainError(
                _("Een vraag met status ‘%(current)s’ kan niet naar ‘%(next)s’.")
                % {
                    "current": self.get_status_display(),
                    "next": self.Status(status).label,
                },
                code="invalid_transition",
            )
        self.status = status

    def assign(self, assignee) -> None:
        self._move_to(self.Status.ASSIGNED)
        self.assignee = assignee
        self.assigned_at = timezone.now()

    def start(self) -> None:
        self._move_to(self.Status.IN_PROGRESS)

    def complete(self) -> None:
        self._move_to(self.Status.DONE)
        self.closed_at = timezone.now()

    def decline(self) -> None:
        self._move_to(self.Status.DECLINED)
        self.closed_at = timezone.now()


class ServiceRequestMessage(models.Model):
    """One message on a service request after the question: an answer the member reads (sent
    by e-mail and shown in /me/), or a note between staff that the member never sees."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Antwoord")
        NOTE = "note", _("Interne notitie")

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    body = models.TextField(_("bericht"))
    created_at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("bericht bij een vraag")
        verbose_name_plural = _("berichten bij vragen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="service_request_message_has_body")
        ]
        indexes = [models.Index(fields=["service_request", "created_at"])]

    def __str__(self):
        return f"{self.service_request_id} {self.kind} {self.created_at}"
