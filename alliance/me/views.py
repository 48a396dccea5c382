"""The member's own pages under /me/: registrations, tickets, company, requests, interests, agenda.

Everything here acts for the logged-in user's confirmed Person; a user without one is sent to
/me/, which asks them to join their company (members/views/join.py). These pages show a
person's registrations, so they read from events: /me/ is the member's view across apps.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance.base.mail import absolute_url
from alliance.base.models import DomainError
from alliance.base.qr import qr_svg
from alliance.me import personal_data as personal_data_export
from alliance.security import recent_authentication_required, require_recent_authentication
from events.calendar import calendar_for
from events.models import Event, MissionChoice, Registration
from events.permissions import can_view_ticket
from invoicing.models import Invoice
from members import forms, permissions, services
from members.models import (
    JoinRequest,
    Person,
    ServiceRequest,
    ServiceRequestMessage,
    calendar_token_digest,
)
from members.selectors import current_membership
from members.views import join

# Registrations that put the event in the person's own calendar feed.
IN_CALENDAR = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.ATTENDED,
)
PAST_SHOWN = (
    Registration.Status.CONFIRMED,
    Registration.Status.ATTENDED,
    Registration.Status.NO_SHOW,
)
PAST_LIMIT = 50
# The latest changes of a company's consents shown on its page (all are kept).
CONSENT_HISTORY_SHOWN = 10


def _person_for(user) -> Person | None:
    person = Person.objects.select_related("company").filter(user=user).first()
    if person is not None:
        # Fill Django's one-to-one cache, so that permission checks reuse this row.
        user.person = person
    return person


def person_required(view):
    """Log-in required, and a confirmed Person: the view gets it as its second argument."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = _person_for(request.user)
        if person is None:
            messages.info(request, _("Vraag eerst toegang tot je onderneming."))
            return redirect("me:home")
        return view(request, person, *args, **kwargs)

    return wrapper


def registrations_with_rank(person: Person):
    """The person's registrations with their event and `waiting_rank`, in one query."""
    return person.registrations.select_related("event", "event__organiser").with_waiting_rank()


@login_required
def home(request):
    """My registrations (coming, on the waiting list, past); without a Person: the join page."""
    person = _person_for(request.user)
    if person is None:
        return join.join_page(request)
    now = timezone.now()
    registrations = registrations_with_rank(person)
    coming = list(
        registrations.filter(
            event__ends_at__gt=now,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.OFFERED,
                Registration.Status.WAITLISTED,
            ],
        ).order_by("event__starts_at")
    )
    past = registrations.filter(event__ends_at__lte=now, status__in=PAST_SHOWN).order_by(
        "-event__starts_at"
    )[:PAST_LIMIT]
    can_manage = permissions.can_manage_company(request.user, person.company)
    pending_requests = (
        person.company.join_requests.filter(status=JoinRequest.Status.PENDING).count()
        if can_manage
        else 0
    )
    return render(
        request,
        "members/me_home.html",
        {
            "person": person,
            "company": person.company,
            "confirmed": [r for r in coming if r.status == Registration.Status.CONFIRMED],
            "offered": [r for r in coming if r.status == Registration.Status.OFFERED],
            "waiting": [r for r in coming if r.status == Registration.Status.WAITLISTED],
            "past": past,
            "now": now,
            "can_manage": can_manage,
            "pending_requests": pending_requests,
            # The company's mission applications and their outcome (events/missions.py).
            "mission_choices": list(
                MissionChoice.objects.filter(company=person.company, event__ends_at__gt=now)
                .exclude(status=MissionChoice.Status.WITHDRAWN)
                .select_related("event")
                .order_by("event__starts_at")
            ),
            "section": "registrations",
        },
    )


@login_required
def ticket(request, ticket_code):
    """A ticket: name, company, event, date, place and a QR code with the code under it."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "event__organiser", "person", "company"),
        ticket_code=ticket_code,
    )
    if not can_view_ticket(request.user, registration):
        raise Http404
    qr = None
    if registration.holds_a_place:
        qr = qr_svg(registration.ticket_code, gettext("QR-code van je ticket"))
    return render(
        request,
        "members/me_ticket.html",
        {"registration": registration, "event": registration.event, "qr": qr},
    )


# --- personal calendar feed ---------------------------------------------------------------------


@person_required
def calendar_page(request, person):
    """My calendar feed: whether it is on, with buttons to renew or revoke it."""
    return _calendar_page(request, person)


def _calendar_page(request, person, *, new_token: str | None = None):
    """The feed's secret address is shown only right after it was made (`new_token`): only its
    hash is stored."""
    feed_url = None
    if new_token:
        feed_url = absolute_url(reverse("me:calendar_feed", args=[new_token]))
    return render(
        request,
        "members/me_calendar.html",
        {"person": person, "feed_url": feed_url, "section": "calendar"},
    )


@require_POST
@never_cache
@person_required
def calendar_renew(request, person):
    """A new secret link, shown in this answer only; the old one stops working at once."""
    token = services.calendar_token_renew(person=person)
    person.refresh_from_db(fields=["calendar_token_hash"])
    messages.success(request, _("Je nieuwe agendalink is klaar. De vorige werkt niet meer."))
    return _calendar_page(request, person, new_token=token)


@require_POST
@person_required
def calendar_revoke(request, person):
    """Switch the feed off."""
    services.calendar_token_revoke(person=person)
    messages.success(request, _("Je agendalink is ingetrokken."))
    return redirect("me:calendar")


def calendar_feed(request, token):
    """The feed itself: public by its secret token (calendar apps do not log in)."""
    person = get_object_or_404(Person, calendar_token_hash=calendar_token_digest(token))
    events = (
        Event.objects.filter(registrations__person=person, registrations__status__in=IN_CALENDAR)
        .select_related("organiser")
        .order_by("starts_at")
    )
    # Calendar apps send no language of their own: the person's.
    with translation.override(person.preferred_language):
        name = gettext("Mijn activiteiten · %(portal)s") % {
            "portal": gettext("Alliantie van Kamers van Koophandel")
        }
        body = calendar_for(events, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mijn-activiteiten.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- my company ---------------------------------------------------------------------------------


@person_required
def company(request, person):
    """My company's profile; its admins also see its people, consent and requests to join."""
    company = person.company
    can_manage = permissions.can_manage_company(request.user, company)
    membership = current_membership(company)
    context = {
        "person": person,
        "company": company,
        "membership": membership,
        "dues_invoice": (
            Invoice.objects.dues_by_membership([membership.pk]).get(membership.pk)
            if membership
            else None
        ),
        "sectors": list(company.sectors.all()),
        "can_manage": can_manage,
        "section": "company",
    }
    if can_manage:
        context |= {
            "people": list(
                company.people.filter(erased_at__isnull=True).order_by("last_name", "first_name")
            ),
            "join_requests": list(
                company.join_requests.filter(status=JoinRequest.Status.PENDING)
                .select_related("user")
                .order_by("created_at")
            ),
            "consent_form": forms.ConsentForm(
                initial={
                    "directory_consent": company.directory_consent,
                    "partner_consent": company.partner_consent,
                }
            ),
            "consent_history": list(
                company.consent_records.select_related("recorded_by")[:CONSENT_HISTORY_SHOWN]
            ),
        }
    return render(request, "members/me_company.html", context)


@person_required
def company_edit(request, person):
    """A company admin edits the profile."""
    company = person.company
    if not permissions.can_manage_company(request.user, company):
        raise PermissionDenied
    form = forms.CompanyProfileForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        try:
            services.company_profile_update(
                company=company, actor=request.user, data=data, sectors=sectors
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het profiel van je onderneming is bijgewerkt."))
            return redirect("me:company")
    return render(
        request,
        "members/me_company_edit.html",
        {"person": person, "company": company, "form": form, "section": "company"},
    )


@require_POST
@person_required
def company_consent(request, person):
    """A company admin gives or withdraws the company's consents (directory, partners)."""
    company = person.company
    if not permissions.can_manage_company(request.user, company):
        raise PermissionDenied
    form = forms.ConsentForm(request.POST)
    form.is_valid()  # a single optional checkbox: always valid
    directory, partners = (
        form.cleaned_data["directory_consent"],
        form.cleaned_data["partner_consent"],
    )
    before = (company.directory_consent, company.partner_consent)
    try:
        services.company_consent_update(
            company=company,
            actor=request.user,
            directory_consent=directory,
            partner_consent=partners,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if directory != before[0]:
            messages.success(
                request,
                _("Je onderneming staat nu in de ledengids.")
                if directory
                else _("Je onderneming staat niet meer in de ledengids."),
            )
        if partners != before[1]:
            messages.success(
                request,
                _("De partners van de alliantie zien nu het profiel van je onderneming.")
                if partners
                else _(
                    "De partners van de alliantie zien het profiel van je onderneming niet meer."
                ),
            )
        if (directory, partners) == before:
            messages.info(request, _("Er is niets veranderd."))
    return redirect(reverse("me:company") + "#consent")


@person_required
def company_person(request, person, pk):
    """A company admin edits a colleague's job title, role and phone."""
    company = person.company
    colleague = get_object_or_404(company.people.all(), pk=pk)
    if not permissions.can_manage_company(request.user, company):
        raise PermissionDenied
    form = forms.PersonForm(request.POST or None, instance=colleague)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=colleague,
                actor=request.user,
                job_title=form.cleaned_data["job_title"],
                role=form.cleaned_data["role"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("De gegevens van %(name)s zijn bijgewerkt.") % {"name": colleague.full_name},
            )
            return redirect("me:company")
    return render(
        request,
        "members/me_person_edit.html",
        {
            "person": person,
            "company": company,
            "colleague": colleague,
            "form": form,
            "section": "company",
        },
    )


# --- my service requests and interests -----------------------------------------------------------


@person_required
def service_requests(request, person):
    """The questions I asked the competence centres, with their status and the answers."""
    requests = (
        ServiceRequest.objects.filter(person=person)
        .select_related("centre", "centre__lead_chamber", "service")
        .prefetch_related(
            Prefetch(
                "messages",
                # The answers: the staff's internal notes are never shown here.
                queryset=ServiceRequestMessage.objects.filter(
                    kind=ServiceRequestMessage.Kind.REPLY
                ).select_related("author"),
                to_attr="replies",
            )
        )
        .order_by("-created_at")
    )
    return render(
        request,
        "members/me_service_requests.html",
        {"person": person, "service_requests": requests, "section": "service_requests"},
    )


@person_required
def interests(request, person):
    """The competence centres and sectors I want to hear about."""
    form = forms.InterestsForm(
        request.POST or None,
        initial={
            "centres": list(person.interest_centres.values_list("pk", flat=True)),
            "sectors": list(person.interest_sectors.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.interests_update(
            person=person,
            centres=form.cleaned_data["centres"],
            sectors=form.cleaned_data["sectors"],
        )
        messages.success(request, _("Je interesses zijn bewaard."))
        return redirect("me:interests")
    return render(
        request,
        "members/me_interests.html",
        {"person": person, "form": form, "section": "interests"},
    )


@person_required
def company_data(request, person):
    """Everything the portal holds about my company, as JSON, for its admins (403 for anyone
    else); the password (for staff with TOTP, a code) is asked again first, as for my own data."""
    company = person.company
    if not permissions.is_company_admin_of(request.user, company):
        raise PermissionDenied
    require_recent_authentication(request)
    data = personal_data_export.company_data(company)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{company.slug}-gegevens.json"'
    return response


@recent_authentication_required
def personal_data(request):
    """Everything the portal holds about me, as a JSON file (GDPR: access and portability).

    For any logged-in user, with or without a company. A file of personal data leaves the
    portal: the password (for staff with TOTP, a code) is asked again first unless the session
    confirmed it in the last few minutes (alliance.security.require_recent_authentication)."""
    data = personal_data_export.personal_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response
