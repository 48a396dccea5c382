"""What the bench needs in the database before the clock runs, and its cleaning up after.

Runs in the bench's own process with the server's settings (django.setup() by bench.run).
Everything it adds is marked "bench-" and removed by `finish()`, so the large dataset stays the
same from run to run.
"""

from __future__ import annotations

import datetime
import secrets
import string
import time
import urllib.parse
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bench.http import percentile
from chambers.models import ApiScope, Chamber, Partner, PartnerAPIKey
from chambers.services import api_key_create
from events import services
from events.models import Event, Registration
from members.models import Person

PREFIX = "bench-"


def session_for(user) -> str:
    """A logged-in session made directly: what a log-in leaves, without hashing a password."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def cookie_headers(session_key: str, csrf: str | None = None) -> dict[str, str]:
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    if csrf:
        cookie += f"; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, "Accept-Language": "nl"}


def members(count: int) -> list[Person]:
    """`count` people of member companies, each with a user account (made once, then reused)."""
    User = get_user_model()
    people = list(
        Person.objects.filter(user__username__startswith=PREFIX)
        .select_related("user", "company")
        .order_by("pk")[:count]
    )
    if len(people) < count:
        missing = count - len(people)
        candidates = list(
            Person.objects.filter(user__isnull=True, company__memberships__isnull=False)
            .exclude(email="")
            .distinct()
            .order_by("pk")[:missing]
        )
        with transaction.atomic():
            for person in candidates:
                user = User(
                    username=f"{PREFIX}{person.pk}", email=f"{PREFIX}{person.pk}@bench.invalid"
                )
                user.set_unusable_password()
                user.save()
                person.user = user
                person.save(update_fields=["user"])
        people = list(
            Person.objects.filter(user__username__startswith=PREFIX)
            .select_related("user", "company")
            .order_by("pk")[:count]
        )
    return people


def terms() -> dict[str, str]:
    """Search terms from the data itself, chosen the same way on every run of the same dataset:
    a common word, a rare one (one company), a misspelled place, an accented one, no hit."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            select word, n from (
              select lower(w) as word, count(*) as n
              from members_company, regexp_split_to_table(name, '\\s+') as w
              where length(w) >= 6 and w ~ '^[A-Za-z]+$'
              group by 1
            ) words order by n desc, word limit 1
            """
        )
        common = cursor.fetchone()[0]
        cursor.execute(
            """
            select word from (
              select lower(w) as word, count(*) as n
              from members_company, regexp_split_to_table(name, '\\s+') as w
              where length(w) >= 7 and w ~ '^[A-Za-z]+$'
              group by 1
            ) words where n = 1 order by md5(word) limit 1
            """
        )
        rare = cursor.fetchone()[0]
        cursor.execute(
            """
            select municipality, count(*) from members_company
            where length(municipality) >= 7 and municipality ~ '^[A-Za-z]+$'
            group by 1 order by 2 desc, 1 limit 1
            """
        )
        place = cursor.fetchone()[0]
        # An accented word of a name or a place (Faker's French names, Walloon places).
        cursor.execute(
            """
            select word from (
              select w as word from members_company,
                regexp_split_to_table(name || ' ' || municipality, '\\s+') as w
              where w ~ '[éèêëàçôûüï]' and length(w) >= 5
            ) words group by 1 order by count(*) desc, 1 limit 1
            """
        )
        row = cursor.fetchone()
        accented = row[0] if row else "Liège"
    middle = len(place) // 2
    return {
        "common": common,
        "rare": rare,
        "misspelled": place[:middle] + place[middle + 1 :],
        "accented": accented,
        "zero_hit": "zwxqvy",
    }


def explain_directory(terms_: dict[str, str], log) -> bool:
    """EXPLAIN ANALYZE of the directory's own queries for every term (in the bench log).
    False when a plan reads the whole companies table for a rare, misspelled or zero-hit term."""
    from members.filtersets import DirectoryFilterSet
    from members.views.directory import directory_companies

    ok = True
    for kind, term in terms_.items():
        filterset = DirectoryFilterSet(
            {"q": term}, queryset=directory_companies().order_by("name", "pk")
        )
        plan = filterset.qs[:24].explain(analyze=True)
        log(f"EXPLAIN ANALYZE directory search '{term}' ({kind}):\n{plan}")
        if kind != "common" and "Seq Scan on members_company" in plan:
            ok = False
            log(f"  !! a sequential scan of the companies for a {kind} term")
    return ok


@dataclass
class Rush:
    event: Event
    warm: list
    send: list

    def counts(self) -> dict[str, int]:
        return dict(
            Registration.objects.filter(event=self.event)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )


@dataclass
class Fixtures:
    api_key: str
    key_pk: int
    directory_requests: list
    events_list_requests: list
    detail_requests: list
    me_requests: list
    no_seq_scan: bool
    people: list
    sessions: dict
    run_id: str
    events: list = field(default_factory=list)

    def rush(self, repeat: int) -> Rush:
        event = bench_event(f"{PREFIX}rush-{self.run_id}-{repeat}", capacity=100)
        self.events.append(event)
        warm, send = [], []
        path = f"/events/{event.slug}/inschrijven/"
        for person in self.people:
            csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
            headers = cookie_headers(self.sessions[person.pk], csrf)
            warm.append((f"/events/{event.slug}/", headers))
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "purchase_order": ""})
            send.append(
                (
                    path,
                    {**headers, "Content-Type": "application/x-www-form-urlencoded"},
                    body.encode(),
                )
            )
        return Rush(event=event, warm=warm, send=send)


def bench_event(slug: str, capacity: int | None) -> Event:
    now = timezone.now()
    starts = now + datetime.timedelta(days=400)
    return Event.objects.create(
        title=f"Bench {slug}",
        slug=slug,
        kind=Event.Kind.SEMINAR,
        organiser=Chamber.objects.order_by("pk").first(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        city="Brussel",
        capacity=capacity,
        has_waiting_list=True,
        status=Event.Status.PUBLISHED,
        registration_opens_at=now - datetime.timedelta(days=1),
    )


def cleanup(log) -> None:
    """Every bench row of an earlier run (events, their registrations, API keys, sessions)."""
    events = Event.objects.filter(slug__startswith=PREFIX)
    try:
        with transaction.atomic():
            Registration.objects.filter(event__in=events).delete()
            events.delete()
    except Exception as error:  # noqa: BLE001 - a bench must not fail on its own leftovers
        log(f"Could not remove earlier bench events: {error}")
    PartnerAPIKey.objects.filter(name__startswith=PREFIX).delete()


def prepare(log) -> Fixtures:
    cleanup(log)
    run_id = timezone.now().strftime("%Y%m%d%H%M%S")
    partner = Partner.objects.order_by("pk").first()
    key_row, api_key = api_key_create(
        partner=partner, name=f"{PREFIX}{run_id}", scopes=[ApiScope.EVENTS_READ]
    )
    people = members(300)
    sessions = {person.pk: session_for(person.user) for person in people}
    found = terms()
    log(f"Directory terms: {found}")
    no_seq_scan = explain_directory(found, log)
    directory = [("/directory/?" + urllib.parse.urlencode({"q": t}), {}) for t in found.values()]
    upcoming = list(
        Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gte=timezone.now())
        .exclude(slug__startswith=PREFIX)
        .order_by("starts_at", "pk")
        .values_list("slug", "city", "kind")[:200]
    )
    cities = sorted({city for _, city, _ in upcoming})[:3]
    kinds = sorted({kind for _, _, kind in upcoming})[:3]
    events_list = [
        ("/events/?" + urllib.parse.urlencode(query), {})
        for query in [
            *({"kind": kind} for kind in kinds),
            *({"city": city} for city in cities),
            {"q": "export"},
        ]
    ]
    details = [(f"/events/{slug}/", {}) for slug, _, _ in upcoming[::10][:20]]
    me = [("/me/", cookie_headers(sessions[person.pk])) for person in people[:20]]
    return Fixtures(
        api_key=api_key,
        key_pk=key_row.pk,
        directory_requests=directory,
        events_list_requests=events_list,
        detail_requests=details,
        me_requests=me,
        no_seq_scan=no_seq_scan,
        people=people,
        sessions=sessions,
        run_id=run_id,
    )


def registration_service(people: list[Person], run_id: str, log) -> dict:
    """registration_create at the service layer, one after another: the rate and the p99."""
    event = bench_event(f"{PREFIX}service-{run_id}", capacity=len(people) // 2)
    latencies = []
    started = time.perf_counter()
    for person in people:
        begin = time.perf_counter()
        services.registration_create(event=event, person=person)
        latencies.append((time.perf_counter() - begin) * 1000)
    seconds = time.perf_counter() - started
    per_s = len(people) / seconds
    p99 = percentile(latencies, 99)
    log(
        f"registration_create x {len(people)}: {per_s:.0f}/s, p50 {percentile(latencies, 50):.1f}"
        f" p99 {p99:.1f} ms"
    )
    return {"registration_db_per_s": per_s, "registration_db_p99_ms": p99}


def finish(fx: Fixtures, log) -> dict:
    figures = registration_service(fx.people, fx.run_id, log)
    PartnerAPIKey.objects.filter(pk=fx.key_pk).delete()
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=list(fx.sessions.values())).delete()
    cleanup(log)
    return figures
