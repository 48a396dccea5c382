"""Plumbing for the portal's security promises (docs/security.md), outside any one page: the
visitor's address behind proxies, NUL bytes refused, the second factor, private pages never
cached, and the security log (failed log-ins, refusals).

The second factor: every staff member (a staff role, Django's `is_staff`) and every superuser
passes a second factor (allauth's TOTP, or one of its recovery codes) before any back-office
(`/staff/`) or Django admin (`/admin/`) page opens. The proof is the session's own record of how
it was authenticated (allauth writes an "mfa" entry when the code was given at log-in or on
re-authentication; activating TOTP in the session counts too, the code was given then): a
password alone never opens those pages, whatever path it took. No query on the way in once the
session holds the proof.
"""

import ipaddress
import logging
import time
from functools import wraps
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import views as totp_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from alliance.base.api import problems
from chambers import roles

# Security events (failed log-ins, refused pages, missing second factors), for the log
# collector: one line each, with the visitor's address (ClientAddressMiddleware).
security_log = logging.getLogger("alliance.security")

# The pages behind the second factor.
SECOND_FACTOR_PREFIXES = ("/staff/", "/admin/")


def needs_second_factor(user) -> bool:
    """Staff of any role, Django staff and superusers: whoever can see other people's data."""
    return bool(user.is_authenticated) and (
        user.is_superuser or user.is_staff or roles.is_staff(user)
    )


def session_passed_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def must_reauthenticate_with_second_factor(user) -> bool:
    """Staff who have TOTP confirm a sensitive action with a code, not with the password alone:
    the password is the factor a phishing page takes."""
    return needs_second_factor(user) and has_totp(user)


def recently_reauthenticated(request) -> bool:
    """The session confirmed who it is (password, or a second factor for staff with TOTP) less
    than ACCOUNT_REAUTHENTICATION_TIMEOUT seconds ago. A log-in alone does not count (allauth's
    rule): the check is that the person at the keyboard now is the account's owner."""
    records = [
        record
        for record in get_authentication_records(request, request.user)
        if record.get("reauthenticated")
    ]
    # A staff session past the second factor has TOTP; only otherwise ask the database.
    user = request.user
    if needs_second_factor(user) and (session_passed_second_factor(request) or has_totp(user)):
        records = [record for record in records if record.get("method") == "mfa"]
    if not records:
        return False
    return time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def require_recent_authentication(request) -> None:
    """Called by a view after its permission checks, before personal data or a secret leaves
    the portal: a stale session is sent to re-authenticate (allauth's middleware keeps a POST
    and replays it afterwards), a fresh one goes on."""
    if not recently_reauthenticated(request):
        security_log.info(
            "reauthentication_asked user=%s path=%s address=%s",
            request.user.pk,
            request.path,
            request.META.get("REMOTE_ADDR"),
        )
        raise ReauthenticationRequired()


def recent_authentication_required(view):
    """The decorator form of require_recent_authentication, for views whose access check
    comes before it (a decorator further out)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_recent_authentication(request)
        return view(request, *args, **kwargs)

    return wrapper


# When a staff session was last seen (seconds since the epoch); only staff sessions hold it.
STAFF_LAST_SEEN_KEY = "alliance_staff_last_seen"
# The stamp is written at most this often: a session write per minute, not per request.
STAFF_LAST_SEEN_STEP = 60


def mark_staff_session(request, user) -> None:
    """From now on this session logs out after STAFF_SESSION_IDLE_SECONDS without a request."""
    if needs_second_factor(user):
        request.session[STAFF_LAST_SEEN_KEY] = time.time()


def staff_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_staff_session(request, user)


user_logged_in.connect(staff_logged_in, dispatch_uid="alliance.security.staff_logged_in")


class StaffIdleTimeoutMiddleware:
    """A staff session that saw no request for STAFF_SESSION_IDLE_SECONDS is logged out at its
    next one, which then goes on as a visitor's (the back-office sends it to log in, and back).
    An unattended screen in an office shows other people's data; members keep the normal
    session age (SESSION_COOKIE_AGE). The session says whether it is a staff one (marked at
    log-in and by the second factor's check), so no query is asked here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        last_seen = request.session.get(STAFF_LAST_SEEN_KEY)
        if last_seen is not None:
            idle = time.time() - last_seen
            if idle > settings.STAFF_SESSION_IDLE_SECONDS:
                security_log.info(
                    "idle_logout user=%s idle=%ds address=%s",
                    request.session.get("_auth_user_id"),
                    idle,
                    request.META.get("REMOTE_ADDR"),
                )
                logout(request)
                messages.info(
                    request,
                    _(
                        "Je was %(minutes)s minuten niet actief en bent afgemeld. Meld je "
                        "opnieuw aan."
                    )
                    % {"minutes": settings.STAFF_SESSION_IDLE_SECONDS // 60},
                )
            elif idle >= STAFF_LAST_SEEN_STEP:
                request.session[STAFF_LAST_SEEN_KEY] = time.time()
        return self.get_response(request)


class SecondFactorMiddleware:
    """Sends a staff member whose session has not passed a second factor to set one up (no
    TOTP yet) or to give a code (TOTP set up, session opened without it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith(SECOND_FACTOR_PREFIXES)
            and needs_second_factor(request.user)
            and not session_passed_second_factor(request)
        ):
            return self.refuse(request)
        if request.path_info.startswith(SECOND_FACTOR_PREFIXES) and (
            STAFF_LAST_SEEN_KEY not in request.session
        ):
            # A role given after the log-in: the session becomes a staff one now.
            mark_staff_session(request, request.user)
        return self.get_response(request)

    def refuse(self, request):
        security_log.warning(
            "second_factor_missing user=%s path=%s address=%s",
            request.user.pk,
            request.path,
            request.META.get("REMOTE_ADDR"),
        )
        query = urlencode({"next": request.get_full_path()})
        if has_totp(request.user):
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.info(
            request,
            _(
                "Stel eerst een tweede factor in (een app met codes, TOTP): zonder opent de "
                "back-office niet."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{query}")


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's TOTP set-up; the valid code typed there passes the second factor for this
    session (the back-office opens without logging in again)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_authentication(
            self.request, self.request.user, "mfa", type=Authenticator.Type.TOTP, activated=True
        )
        return response


activate_totp = ActivateTOTPView.as_view()


class ClientAddressMiddleware:
    """REMOTE_ADDR becomes the visitor's address when the portal runs behind proxies.

    Each of the TRUSTED_PROXY_COUNT proxies in front of the portal appends the address it got
    the request from to X-Forwarded-For, so the visitor's is that many places from the end;
    whatever stands before it the visitor wrote, and is ignored. Every per-address rule then
    sees the visitor, not the proxy: allauth's log-in limits, the API's throttles
    (REST_FRAMEWORK NUM_PROXIES = 0: REMOTE_ADDR only), the logs. With no proxy (0, the
    default) the header is ignored altogether.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if count > 0 and forwarded:
            hops = [hop.strip() for hop in forwarded.split(",")]
            if len(hops) >= count:
                try:
                    address = str(ipaddress.ip_address(hops[-count]))
                except ValueError:
                    address = None
                if address:
                    request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


# Pages with other people's or one's own personal data: never kept by a browser or a proxy.
PRIVATE_PREFIXES = ("/staff/", "/admin/", "/me/", "/accounts/")


class PrivatePagesMiddleware:
    """Cache-Control: private, no-store (and no-cache, max-age=0) on the back-office, the admin,
    a member's own pages and the account pages, whatever the view set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response


def _too_large_for_api(request, limit: int):
    return JsonResponse(
        {
            "type": problems.TYPE_PREFIX + "request_too_large",
            "title": _("Te groot"),
            "status": 413,
            "detail": _("Een vraag aan de API is hoogstens %(size)s groot.")
            % {"size": filesizeformat(limit)},
            "code": "request_too_large",
            "instance": request.path,
        },
        status=413,
        content_type=problems.CONTENT_TYPE,
    )


class RequestSizeMiddleware:
    """A body announced larger than the portal takes is refused with 413 before anything reads
    it (no upload is spooled to disk, no JSON parsed): MAX_REQUEST_BODY_BYTES for pages (the
    import's file and its form), API_MAX_REQUEST_BODY_BYTES under /api/ (problem+json). A body
    sent without a length is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is no number") from None
        api = request.path_info.startswith("/api/")
        limit = settings.API_MAX_REQUEST_BODY_BYTES if api else settings.MAX_REQUEST_BODY_BYTES
        if length <= limit:
            return self.get_response(request)
        security_log.warning(
            "refused status=413 length=%s path=%r address=%s",
            length,
            request.path,
            request.META.get("REMOTE_ADDR"),
        )
        if api:
            return _too_large_for_api(request, limit)
        return render(request, "413.html", {"limit": limit}, status=413)


class NulBytesMiddleware:
    """A NUL byte in the path, the query string or a form's fields is answered 400 before any
    view runs: no text column of PostgreSQL can hold one, so it would end as a 500 deep in a
    query. JSON bodies are the API's: its serializers refuse NUL themselves (400 problem)."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self.nul_in(request)
        if where is None:
            return self.get_response(request)
        security_log.warning(
            "refused status=400 nul_byte=%s path=%r address=%s",
            where,
            request.path,
            request.META.get("REMOTE_ADDR"),
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "type": problems.TYPE_PREFIX + "invalid_input",
                    "title": str(problems.TITLES[400]),
                    "status": 400,
                    "detail": _("Een waarde bevat een NUL-teken."),
                    "code": "invalid_input",
                    "instance": request.path,
                },
                status=400,
                content_type=problems.CONTENT_TYPE,
            )
        raise BadRequest(f"NUL byte in the {where}")

    def nul_in(self, request) -> str | None:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return "address"
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            return "query"
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            fields = request.POST.lists()
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in fields):
                return "form"
        return None


def login_failed(sender, credentials, request=None, **kwargs):
    """A failed log-in (wrong password, unknown account), with the name tried and the address;
    never the password (Django's signal has already masked it)."""
    tried = credentials.get("email") or credentials.get("username") or credentials.get("login")
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    security_log.warning("login_failed login=%s address=%s", tried, address)


user_login_failed.connect(login_failed, dispatch_uid="alliance.security.login_failed")


class RefusalLogMiddleware:
    """Every 403 is a security event: who was refused what, from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            security_log.warning(
                "refused status=403 user=%s method=%s path=%s address=%s",
                user.pk if user is not None and user.is_authenticated else None,
                request.method,
                request.path,
                request.META.get("REMOTE_ADDR"),
            )
        return response
