"""Cross-chamber events and the registrations for them."""

import datetime
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
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
from events.querysets import EventQuerySet, RegistrationQuerySet

BRUSSELS = "Europe/Brussels"
# The time zones of the alliance's events abroad (trade missions, fairs); more can be added.
TIME_ZONES = [
    (BRUSSELS, "Brussel (Europe/Brussels)"),
    ("Europe/London", "Londen (Europe/London)"),
    ("Europe/Istanbul", "Istanboel (Europe/Istanbul)"),
    ("Asia/Dubai", "Dubai (Asia/Dubai)"),
    ("Asia/Kolkata", "India (Asia/Kolkata)"),
    ("Asia/Shanghai", "China (Asia/Shanghai)"),
    ("Asia/Singapore", "Singapore (Asia/Singapore)"),
    ("Asia/Tokyo", "Japan (Asia/Tokyo)"),
    ("America/New_York", "New York (America/New_York)"),
    ("America/Sao_Paulo", "São Paulo (America/Sao_Paulo)"),
    ("Africa/Casablanca", "Casablanca (Africa/Casablanca)"),
    ("Africa/Johannesburg", "Johannesburg (Africa/Johannesburg)"),
]


@audit.tracked(exclude=("search_vector",), manual=(audit.EXPORT,))
class Event(TimeStampedModel):
    """An activity organised by one chamber, possibly with co-organising chambers and partners."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        TRADE_MISSION = "trade_mission", _("Handelsmissie")
        TRADE_FAIR_VISIT = "trade_fair_visit", _("Beursbezoek")
        COMPANY_VISIT = "company_visit", _("Bedrijfsbezoek")
        WORKSHOP = "workshop", _("Inspiratieatelier")
        SEMINAR = "seminar", _("Seminarie")
        TRAINING = "training", _("Opleiding")
        NETWORKING = "networking", _("Netwerkactiviteit")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Iedereen")
        MEMBERS = "members", _("Enkel leden van de alliantie")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Ontwerp")
        # Proposed by a partner through the API; staff approve it before it is published.
        PROPOSED = "proposed", _("Voorgesteld door een partner")
        PUBLISHED = "published", _("Gepubliceerd")
        CANCELLED = "cancelled", _("Geannuleerd")

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    organiser = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiserende kamer"),
    )
    co_organisers = models.ManyToManyField(
        "chambers.Chamber",
        blank=True,
        related_name="co_organised_events",
        verbose_name=_("co-organiserende kamers"),
    )
    partners = models.ManyToManyField(
        "chambers.Partner", blank=True, related_name="events", verbose_name=_("partners")
    )
    centre = models.ForeignKey(
        "competences.CompetenceCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("competentiecentrum"),
    )
    sectors = models.ManyToManyField(
        "members.Sector", blank=True, related_name="events", verbose_name=_("sectoren")
    )
    starts_at = models.DateTimeField(_("begint op"))
    ends_at = models.DateTimeField(_("eindigt op"))
    venue = models.CharField(_("locatie"), max_length=200, blank=True)
    city = models.CharField(_("plaats"), max_length=100)
    country = models.CharField(_("land"), max_length=2, default="BE")
    language = models.CharField(_("taal"), max_length=2, choices=Language, default=Language.NL)
    # Where the event takes place, for missions abroad: pages and e-mails show its local time
    # beside Brussels time when the two differ. Times are stored in UTC as always.
    time_zone = models.CharField(_("tijdzone"), max_length=40, choices=TIME_ZONES, default=BRUSSELS)
    capacity = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, help_text=_("Leeg: onbeperkt.")
    )
    has_waiting_list = models.BooleanField(_("wachtlijst"), default=True)

    class WaitingListMode(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatisch doorschuiven")
        OFFER = "offer", _("Aanbod met bedenktijd")

    waiting_list_mode = models.CharField(
        _("vrije plaats voor de wachtlijst"),
        max_length=10,
        choices=WaitingListMode,
        default=WaitingListMode.AUTOMATIC,
        help_text=_(
            "Automatisch: de eerste op de wachtlijst is meteen ingeschreven. Aanbod: de eerste "
            "krijgt de plaats aangeboden en bevestigt binnen de bedenktijd."
        ),
    )
    offer_hours = models.PositiveIntegerField(
        _("bedenktijd (uren)"),
        default=24,
        help_text=_("Hoe lang een aanbod geldt; vlak voor de activiteit korter."),
    )

    class LateCancellation(models.TextChoices):
        FEE = "fee", _("Annuleren kan, met een annuleringskost")
        REFUSED = "refused", _("Annuleren kan niet meer")

    free_cancellation_until = models.DateTimeField(
        _("gratis annuleren tot"),
        null=True,
        blank=True,
        help_text=_("Leeg: twee werkdagen voor het begin."),
    )
    late_cancellation = models.CharField(
        _("na die datum"), max_length=10, choices=LateCancellation, default=LateCancellation.FEE
    )
    late_cancellation_fee = models.DecimalField(
        _("annuleringskost (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    # Seats reserved per chamber (SeatAllocation) hold until this moment; after it, unused
    # reserved seats are open to every alliance member. Empty: they hold until registration
    # closes.
    pooling_at = models.DateTimeField(
        _("voorbehouden plaatsen vrij op"),
        null=True,
        blank=True,
        help_text=_("Daarna zijn de ongebruikte plaatsen per kamer open voor alle leden."),
    )
    # Participation by application (missions abroad, B2B delegations, fair pavilions): members
    # apply, staff select (events/missions.py); the ordinary registration is refused.
    selects_participants = models.BooleanField(
        _("deelnemers worden geselecteerd"),
        default=False,
        db_default=False,
        help_text=_("Leden stellen zich kandidaat; het personeel selecteert de deelnemers."),
    )
    registration_opens_at = models.DateTimeField(_("inschrijving opent op"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("inschrijving sluit op"), null=True, blank=True)
    member_price = models.DecimalField(
        _("ledenprijs (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    non_member_price = models.DecimalField(
        _("prijs niet-leden (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    # A training recognised for the Flemish SME wallet (KMO-portefeuille): its recognition
    # number is shown on the event page and on the invoice (docs/invoicing.md).
    kmo_recognition_number = models.CharField(
        _("erkenningsnummer KMO-portefeuille"),
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text=_("Enkel voor opleidingen erkend voor de KMO-portefeuille."),
    )
    audience = models.CharField(
        _("doelgroep"), max_length=10, choices=Audience, default=Audience.EVERYONE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    proposed_by = models.ForeignKey(
        "chambers.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_events",
        verbose_name=_("voorgesteld door"),
    )
    # Each language's text in its own text-search configuration, stored and indexed.
    search_vector = models.GeneratedField(
        expression=SearchVector("title_nl", weight="A", config="dutch")
        + SearchVector("description_nl", weight="C", config="dutch")
        + SearchVector("title_fr", weight="A", config="french")
        + SearchVector("description_fr", weight="C", config="french")
        + SearchVector("title_en", weight="A", config="english")
        + SearchVector("description_en", weight="C", config="english")
        + SearchVector("city", weight="B", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            # Registration closes at the start at the latest (a multi-day event under way is
            # closed): the same rule as Event.registration_closes and open_for_registration().
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__lte=F("starts_at")),
                name="event_registration_closes_by_start",
            ),
            models.CheckConstraint(
                condition=Q(member_price__gte=0, non_member_price__gte=0),
                name="event_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(member_price__lte=F("non_member_price")),
                name="event_member_price_not_above_non_member",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gt=0), name="event_offer_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(late_cancellation_fee__gte=0),
                name="event_cancellation_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(free_cancellation_until__isnull=True)
                | Q(free_cancellation_until__lte=F("starts_at")),
                name="event_free_cancellation_by_start",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="event_country_iso2"
            ),
            models.CheckConstraint(
                condition=~Q(status="proposed") | Q(proposed_by__isnull=False),
                name="event_proposal_names_its_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_listing_idx"),
            # The API's keyset order (starts_at, pk) over published and cancelled events: with
            # status IN (...) the index above cannot give that order, and the list sorted every
            # event for its page (a sequential scan of 20,000 rows per request; make bench).
            models.Index(fields=["starts_at", "id"], name="event_api_order_idx"),
            models.Index(fields=["organiser", "starts_at"], name="event_organiser_idx"),
            models.Index(fields=["updated_at"], name="event_updated_idx"),
            GinIndex(fields=["search_vector"], name="event_search_idx"),
            # Typo and compound tolerance in the events search (events/filtersets.py).
            GinIndex(fields=["title_nl"], opclasses=["gin_trgm_ops"], name="event_title_nl_trgm"),
            GinIndex(fields=["title_fr"], opclasses=["gin_trgm_ops"], name="event_title_fr_trgm"),
            GinIndex(fields=["title_en"], opclasses=["gin_trgm_ops"], name="event_title_en_trgm"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The database's rules on dates and prices, as messages next to the field at fault."""
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Een activiteit eindigt na haar begin.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("De inschrijving sluit na de opening.")
        elif closes and self.starts_at and closes > self.starts_at:
            errors["registration_closes_at"] = _(
                "De inschrijving sluit ten laatste bij het begin van de activiteit."
            )
        if (
            self.member_price is not None
            and self.non_member_price is not None
            and self.member_price > self.non_member_price
        ):
            errors["member_price"] = _("De ledenprijs is niet hoger dan de prijs voor niet-leden.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_unlimited(self) -> bool:
        return self.capacity is None

    def places_taken(self) -> int:
        """Confirmed and attended registrations, and standing offers: what counts against
        capacity."""
        return self.registrations.taking_capacity().count()

    @property
    def cancellation_deadline(self):
        """Until when cancelling is free: the moment staff set, else two working days before
        the start (Monday to Friday, Brussels time; public holidays are not counted out)."""
        return self.free_cancellation_until or working_days_before(self.starts_at, 2)

    def cancellation_terms(self, now=None) -> str:
        """A CancellationTerms for a confirmed registration now: free, fee, refused, closed."""
        now = now or timezone.now()
        if now >= self.starts_at:
            return CancellationTerms.CLOSED
        if now < self.cancellation_deadline:
            return CancellationTerms.FREE
        if self.late_cancellation == self.LateCancellation.REFUSED:
            return CancellationTerms.REFUSED
        return CancellationTerms.FEE

    def offer_expiry(self, now=None):
        """When an offer made now ends: after offer_hours, and close to the event at the
        latest halfway to its start (so that the next in line still has time)."""
        now = now or timezone.now()
        return min(
            now + datetime.timedelta(hours=self.offer_hours), now + (self.starts_at - now) / 2
        )

    def places_left(self, taken: int | None = None) -> int | None:
        """None when the event has no capacity limit."""
        if self.capacity is None:
            return None
        taken = self.places_taken() if taken is None else taken
        return max(self.capacity - taken, 0)

    @property
    def shows_own_time_zone(self) -> bool:
        """The event's clock differs from Brussels' at its start: show both."""
        if not self.time_zone or self.time_zone == BRUSSELS:
            return False
        here, there = ZoneInfo(BRUSSELS), ZoneInfo(self.time_zone)
        return self.starts_at.astimezone(here).utcoffset() != (
            self.starts_at.astimezone(there).utcoffset()
        )

    @property
    def registration_closes(self):
        """When registration closes: the moment staff chose, and at the latest the start."""
        if self.registration_closes_at and self.registration_closes_at < self.starts_at:
            return self.registration_closes_at
        return self.starts_at

    def registration_window(self, now=None) -> str:
        """The one definition of "open for registration", without looking at places.

        A RegistrationState: cancelled, not_published, past, closed, not_yet_open or open.
        EventQuerySet.open_for_registration() is the same rule in SQL; the constraint
        event_registration_closes_by_start keeps registration_closes_at within it.
        """
        return self.window_of(
            status=self.status,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            opens_at=self.registration_opens_at,
            closes_at=self.registration_closes_at,
            now=now,
        )

    @classmethod
    def window_of(cls, *, status, starts_at, ends_at, opens_at, closes_at, now=None) -> str:
        """registration_window from the columns alone (the API's list reads plain rows)."""
        now = now or timezone.now()
        if status == cls.Status.CANCELLED:
            return RegistrationState.CANCELLED
        if now >= ends_at:
            return RegistrationState.PAST
        if status != cls.Status.PUBLISHED:
            return RegistrationState.NOT_PUBLISHED
        closes = closes_at if closes_at and closes_at < starts_at else starts_at
        if now >= closes:
            return RegistrationState.CLOSED
        if opens_at and now < opens_at:
            return RegistrationState.NOT_YET_OPEN
        return RegistrationState.OPEN

    def registration_is_open(self, now=None) -> bool:
        """The window is open (the event may still be full: see registration_state)."""
        return self.registration_window(now) == RegistrationState.OPEN

    def registration_state(self, now=None, *, taken=None, waiting=None) -> str:
        """What a newcomer would get now: the window's state, or open / waiting_list / full.

        `taken` and `waiting` default to the annotations of EventQuerySet.for_listing()
        (places_taken_count, waiting_count), else one query each. A newcomer waits while anyone
        is waiting or holds an offer, even when a place is free.
        """
        state = self.registration_window(now)
        if state != RegistrationState.OPEN or self.capacity is None:
            return state
        if taken is None:
            taken = getattr(self, "places_taken_count", None)
        if taken is None:
            taken = self.places_taken()
        if waiting is None:
            waiting = getattr(self, "waiting_count", None)
        if waiting is None:
            waiting = self.registrations.in_line().count()
        if taken < self.capacity and not waiting:
            return RegistrationState.OPEN
        if self.has_waiting_list:
            return RegistrationState.WAITING_LIST
        return RegistrationState.FULL


class CancellationTerms(models.TextChoices):
    """What cancelling a confirmed registration costs now (Event.cancellation_terms)."""

    FREE = "free", _("Gratis annuleren")
    FEE = "fee", _("Annuleren met annuleringskost")
    REFUSED = "refused", _("Annuleren kan niet meer")
    CLOSED = "closed", _("De activiteit is begonnen")


def working_days_before(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same wall-clock time `days` working days (Monday to Friday) earlier, local time."""
    local = timezone.localtime(moment)
    day = local.date()
    while days:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


class RegistrationState(models.TextChoices):
    """Where an event stands for someone who would register now (Event.registration_state)."""

    OPEN = "open", _("Open")
    WAITING_LIST = "waiting_list", _("Volzet · wachtlijst")
    FULL = "full", _("Volzet")
    NOT_YET_OPEN = "not_yet_open", _("Nog niet open")
    CLOSED = "closed", _("Gesloten")
    PAST = "past", _("Voorbij")
    CANCELLED = "cancelled", _("Geannuleerd")
    NOT_PUBLISHED = "not_published", _("Niet gepubliceerd")


def new_ticket_code() -> str:
    """An unguessable code for a ticket: 128 bits, URL-safe."""
    return secrets.token_urlsafe(16)


@audit.tracked(exclude=("ticket_code",))
class Registration(TimeStampedModel):
    """A person's registration for an event, on member terms or not."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bevestigd")
        WAITLISTED = "waitlisted", _("Op de wachtlijst")
        # The first in line was offered a freed place, until offer_expires_at.
        OFFERED = "offered", _("Plaats aangeboden")
        CANCELLED = "cancelled", _("Geannuleerd")
        ATTENDED = "attended", _("Aanwezig")
        NO_SHOW = "no_show", _("Niet opgedaagd")

    class CancelledBy(models.TextChoices):
        """Who or what cancelled a registration: staff still see who was coming to an event
        that was called off, and the figures tell a member's cancellation from the event's."""

        PERSON = "person", _("De persoon zelf")
        STAFF = "staff", _("Het personeel")
        EVENT = "event", _("De activiteit werd geannuleerd")
        EXPIRED = "expired", _("Het aanbod verliep")

    # Statuses that hold one of the event's places.
    HOLDING_A_PLACE = (Status.CONFIRMED, Status.ATTENDED)
    # Statuses that count against the event's capacity: a standing offer keeps its place.
    TAKING_CAPACITY = (Status.CONFIRMED, Status.ATTENDED, Status.OFFERED)
    # Statuses a person may still cancel (and that an event's cancellation ends).
    CANCELLABLE = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("activiteit")
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("persoon"),
    )
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("onderneming"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status)
    member_terms = models.BooleanField(_("ledenvoorwaarden"), default=False)
    member_terms_chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lid via kamer"),
    )
    price = models.DecimalField(_("prijs (EUR)"), max_digits=8, decimal_places=2)
    waiting_list_position = models.PositiveIntegerField(
        _("plaats op de wachtlijst"), null=True, blank=True
    )
    ticket_code = models.CharField(
        _("ticketcode"), max_length=32, unique=True, default=new_ticket_code, editable=False
    )
    checked_in_at = models.DateTimeField(_("ingecheckt op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("aanbod geldig tot"), null=True, blank=True)
    # Charged when a confirmed place was cancelled after the free-cancellation deadline.
    # The member's own reference for the invoice (a purchase order number), given when they
    # confirm the registration.
    purchase_order = models.CharField(_("bestelbonnummer"), max_length=50, blank=True, default="")
    cancellation_fee = models.DecimalField(
        _("annuleringskost (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # One of the free seats of the company's membership tier (members.FreeSeatAllowance): the
    # price is 0; cancelling gives the seat back (events/free_seats.py).
    free_seat = models.BooleanField(_("gratis plaats van de formule"), default=False)
    # What staff did outside the ordinary order (a move up, a fee waived), with why: one line
    # per action, newest last.
    staff_log = models.TextField(_("logboek van het personeel"), blank=True, default="")
    cancelled_by = models.CharField(
        _("geannuleerd door"), max_length=10, choices=CancelledBy, blank=True, default=""
    )
    # Set when a partner registered this person as part of its delegation (through the API).
    partner = models.ForeignKey(
        "chambers.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("via partner"),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "waiting_list_position"],
                condition=Q(status="waitlisted"),
                name="waiting_list_position_once",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waiting_list_position__isnull=False)
                | Q(~Q(status="waitlisted"), waiting_list_position__isnull=True),
                name="waiting_list_position_iff_waitlisted",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="registration_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(member_terms=False) | Q(member_terms_chamber__isnull=False),
                name="member_terms_name_the_chamber",
            ),
            models.CheckConstraint(
                condition=~Q(status="attended") | Q(checked_in_at__isnull=False),
                name="attended_has_check_in_time",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | Q(~Q(status="cancelled"), cancelled_at__isnull=True),
                name="cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancelled_by=""),
                name="cancelled_by_only_when_cancelled",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="offer_has_expiry",
            ),
            models.CheckConstraint(
                condition=Q(cancellation_fee__isnull=True)
                | Q(status="cancelled", cancellation_fee__gte=0),
                name="cancellation_fee_only_when_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status_idx"),
            models.Index(fields=["company", "status"], name="registration_company_idx"),
            models.Index(
                fields=["partner", "event"],
                condition=Q(partner__isnull=False),
                name="registration_partner_idx",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.event} ({self.get_status_display()})"

    @property
    def holds_a_place(self) -> bool:
        return self.status in self.HOLDING_A_PLACE

    def cancel(self, *, by: str, now=None) -> None:
        """Give up the place or the spot on the waiting list; `by` is a CancelledBy."""
        if self.status not in self.CANCELLABLE:
            raise DomainError(
                _("Deze inschrijving kan niet meer geannuleerd worden."), code="not_cancellable"
            )
        self.status = self.Status.CANCELLED
        self.cancelled_at = now or timezone.now()
        self.cancelled_by = by
        self.waiting_list_position = None
        self.offer_expires_at = None

    @property
    def cancellation_refused(self) -> bool:
        """The person can no longer cancel this confirmed place themselves (past the deadline
        of an event that refuses late cancellations)."""
        return (
            self.status == self.Status.CONFIRMED
            and self.event.cancellation_terms() == CancellationTerms.REFUSED
        )

    def log(self, actor, action: str, reason: str = "") -> None:
        """Add a line to staff_log: when, who, what and why."""
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        who = getattr(actor, "get_username", lambda: str(actor))()
        line = f"{when} · {who} · {action}" + (f": {reason}" if reason else "")
        self.staff_log = f"{self.staff_log}\n{line}".strip()

    def mark_no_show(self) -> None:
        """After the start, a confirmed person who did not come."""
        if self.status != self.Status.CONFIRMED:
            raise DomainError(
                _("Alleen een bevestigde inschrijving kan als niet opgedaagd gelden."),
                code="not_confirmed",
            )
        self.status = self.Status.NO_SHOW

    def undo_check_in(self) -> None:
        """A check-in by mistake: back to confirmed."""
        if self.status != self.Status.ATTENDED:
            raise DomainError(_("Deze persoon is niet ingecheckt."), code="not_checked_in")
        self.status = self.Status.CONFIRMED
        self.checked_in_at = None

    def check_in(self) -> None:
        """Mark the person present; a cancelled or waiting registration has no place to use."""
        if self.status == self.Status.ATTENDED:
            raise DomainError(_("Deze persoon is al ingecheckt."), code="already_checked_in")
        if self.status not in (self.Status.CONFIRMED, self.Status.NO_SHOW):
            raise DomainError(
                _("Alleen een bevestigde inschrijving kan inchecken."), code="not_confirmed"
            )
        self.status = self.Status.ATTENDED
        self.checked_in_at = timezone.now()


@audit.tracked()
class DelegationQuota(TimeStampedModel):
    """How many people a partner may register for an event through the API, set by staff."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="delegation_quotas",
        verbose_name=_("activiteit"),
    )
    partner = models.ForeignKey(
        "chambers.Partner",
        on_delete=models.CASCADE,
        related_name="delegation_quotas",
        verbose_name=_("partner"),
    )
    places = models.PositiveIntegerField(_("plaatsen"))

    class Meta:
        verbose_name = _("quotum voor een delegatie")
        verbose_name_plural = _("quota voor delegaties")
        ordering = ["event", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["event", "partner"], name="one_quota_per_partner"),
            models.CheckConstraint(condition=Q(places__gt=0), name="quota_places_positive"),
        ]

    def __str__(self):
        return f"{self.partner} · {self.event}: {self.places}"


@audit.tracked()
class SeatAllocation(TimeStampedModel):
    """Seats of an event reserved for the members of one chamber until the pooling date.

    A co-organised trade mission of 20 seats may keep 5 for each co-organising chamber's members
    (their home chamber, Registration.member_terms_chamber). Until Event.pooling_at, a member of
    that chamber may take a reserved seat or a free one of the pool; everyone else only the pool
    (the capacity less every chamber's reservation). The rules are events/allocations.py; every
    write goes through the registration services under the event's lock.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="seat_allocations",
        verbose_name=_("activiteit"),
    )
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.PROTECT,
        related_name="seat_allocations",
        verbose_name=_("kamer"),
    )
    places = models.PositiveIntegerField(_("plaatsen"))

    class Meta:
        verbose_name = _("plaatsen voor een kamer")
        verbose_name_plural = _("plaatsen per kamer")
        ordering = ["event", "chamber"]
        constraints = [
            models.UniqueConstraint(fields=["event", "chamber"], name="one_allocation_per_chamber"),
            models.CheckConstraint(condition=Q(places__gt=0), name="allocation_places_positive"),
        ]

    def __str__(self):
        return f"{self.chamber} · {self.event}: {self.places}"


class MissionApplication(TimeStampedModel):
    """A company's application for missions that select participants: who applies, why, for
    which markets, and up to three missions in order of priority (MissionChoice)."""

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="mission_applications",
        verbose_name=_("onderneming"),
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="mission_applications",
        verbose_name=_("kandidaat"),
    )
    motivation = models.TextField(_("motivatie"))
    target_markets = models.CharField(_("doelmarkten"), max_length=300)

    class Meta:
        verbose_name = _("kandidatuur voor een missie")
        verbose_name_plural = _("kandidaturen voor missies")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.company} · {self.person}"


@audit.tracked(exclude=("follow_up",))
class MissionChoice(TimeStampedModel):
    """One mission of an application, at its priority (1 to 3), with the staff's decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        ACCEPTED = "accepted", _("Geselecteerd")
        DECLINED = "declined", _("Niet geselecteerd")
        RESERVE = "reserve", _("Reservelijst")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    application = models.ForeignKey(
        MissionApplication,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("kandidatuur"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="mission_choices",
        verbose_name=_("missie"),
    )
    # The application's company again, so that the database holds one live application per
    # company and mission.
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="mission_choices",
        verbose_name=_("onderneming"),
    )
    priority = models.PositiveSmallIntegerField(_("voorkeur"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SUBMITTED)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    staff_note = models.TextField(_("notitie van het personeel"), blank=True)
    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mission_choice",
        verbose_name=_("inschrijving"),
    )
    follow_up_deadline = models.DateTimeField(_("opvolging tegen"), null=True, blank=True)
    # The follow-up form's answers (travel data, documents): kept as submitted.
    follow_up = models.JSONField(_("opvolging"), default=dict, blank=True)
    followed_up_at = models.DateTimeField(_("opvolging ingediend op"), null=True, blank=True)
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("missie van een kandidatuur")
        verbose_name_plural = _("missies van kandidaturen")
        ordering = ["event", "priority", "-score", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="mission_choice_priority_1_3"
            ),
            models.UniqueConstraint(
                fields=["application", "priority"], name="mission_choice_one_per_priority"
            ),
            models.UniqueConstraint(
                fields=["application", "event"], name="mission_choice_event_once"
            ),
            models.UniqueConstraint(
                fields=["company", "event"],
                condition=~Q(status="withdrawn"),
                name="mission_choice_one_live_per_company",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="mission_choice_score_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | Q(registration__isnull=False, follow_up_deadline__isnull=False),
                name="mission_choice_accepted_has_registration",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.event} ({self.priority})"

    def follow_up_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.ACCEPTED
            and self.follow_up_deadline is not None
            and now < self.follow_up_deadline
        )


class MissionSelectionLog(models.Model):
    """The selection log: who did what to which application, when (shown to staff)."""

    class Action(models.TextChoices):
        APPLIED = "applied", _("Kandidaat gesteld")
        SCORED = "scored", _("Gescoord")
        ACCEPTED = "accepted", _("Geselecteerd")
        DECLINED = "declined", _("Niet geselecteerd")
        RESERVE = "reserve", _("Op de reservelijst")
        FOLLOWED_UP = "followed_up", _("Opvolging ingediend")

    choice = models.ForeignKey(
        MissionChoice, on_delete=models.CASCADE, related_name="log", verbose_name=_("missie")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    action = models.CharField(_("actie"), max_length=12, choices=Action)
    note = models.CharField(_("notitie"), max_length=300, blank=True)
    at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("selectielog")
        verbose_name_plural = _("selectielog")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.choice} · {self.action}"
