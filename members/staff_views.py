"""The back-office's members, service requests and imports (/staff/members/, /requests/, /imports/).

Every page is for staff only: a visitor is sent to log in, a logged-in user without a staff role
gets a 403. What a page lists comes from a queryset scoped to the user's chambers, so an address
outside them is a 404 (never a leak); a write the user's role does not allow is a 403. The rules
are in members/permissions.py, the writes in members/services.py and members/imports.py.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.base.models import DomainError
from chambers import roles
from chambers.models import Chamber
from members import imports, permissions, services, staff_forms
from members.models import Company, JoinRequest, Membership, ServiceRequest
from members.tasks import import_companies

PAGE_SIZE = 25


def staff_required(view):
    """Log in first; then a staff role, or a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_use_back_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _query_string(request) -> str:
    """The current filters, without the page number, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- members --------------------------------------------------------------------------------------


def _read_chambers(user):
    return Chamber.objects.filter(pk__in=permissions.staff_chamber_ids(user, roles.READ_ROLES))


def _member_chambers(user):
    return Chamber.objects.filter(
        pk__in=permissions.staff_chamber_ids(user, roles.MEMBER_ROLES)
    ).order_by("name")


@require_GET
@staff_required
def member_list(request):
    """The companies with a current or past membership at the user's chambers, filtered."""
    chamber_ids = permissions.staff_chamber_ids(request.user, roles.READ_ROLES)
    chambers = list(_read_chambers(request.user).order_by("name"))
    chosen = request.GET.get("chamber", "")
    if chosen:
        chamber = next((c for c in chambers if c.slug == chosen), None)
        if chamber is None:
            raise Http404
        chamber_ids = {chamber.pk}
    companies = Company.objects.for_staff_listing(chamber_ids).order_by("name", "pk")
    filterset = staff_forms.StaffMemberFilterSet(request.GET or None, queryset=companies)
    page = _page(request, filterset.qs)
    return render(
        request,
        "staff/members/list.html",
        {
            "staff_section": "members",
            "filter": filterset,
            "page": page,
            "companies": page.object_list,
            "chambers": chambers,
            "chosen_chamber": chosen,
            "query_string": _query_string(request),
            "can_add_members": permissions.can_add_members(request.user),
        },
    )


def _company_for(request, slug: str) -> Company:
    return get_object_or_404(permissions.staff_companies(request.user), slug=slug)


def _with_actions(memberships: list[Membership], user, read_ids) -> list[Membership]:
    """Which actions each of the company's periods offers to `user`; the periods they may see.

    The same rules as the services: only the latest period (nothing but ended ones after it) is
    renewed, lapsed or ended, and only by staff who manage that chamber's members.
    """
    shown = []
    for membership in memberships:
        followed = any(
            other.valid_from > membership.valid_from and other.status != Membership.Status.ENDED
            for other in memberships
        )
        manage = permissions.can_manage_memberships_at(user, membership.chamber_id)
        status = membership.status
        membership.can_renew = (
            manage
            and not followed
            and status in (Membership.Status.ACTIVE, Membership.Status.LAPSED)
        )
        membership.can_lapse = manage and not followed and status == Membership.Status.ACTIVE
        membership.can_end = manage and not followed and status != Membership.Status.ENDED
        if membership.chamber_id in read_ids:
            shown.append(membership)
    return shown


@require_GET
@staff_required
def member_detail(request, slug):
    """A company: its facts, its periods at the user's chambers, its people, who asks to join."""
    company = _company_for(request, slug)
    read_ids = permissions.staff_chamber_ids(request.user, roles.READ_ROLES)
    memberships = list(company.memberships.select_related("chamber").order_by("-valid_from"))
    return render(
        request,
        "staff/members/detail.html",
        {
            "staff_section": "members",
            "company": company,
            "memberships": _with_actions(memberships, request.user, read_ids),
            "people": company.people.order_by("last_name", "first_name"),
            "join_requests": company.join_requests.filter(
                status=JoinRequest.Status.PENDING
            ).select_related("user"),
            "can_add_membership": permissions.can_add_members(request.user),
            "can_decide_join_requests": permissions.can_manage_company(request.user, company),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def member_new(request):
    """A company new to the portal, with its first membership."""
    if not permissions.can_add_members(request.user):
        raise PermissionDenied
    chambers = _member_chambers(request.user)
    company_form = staff_forms.NewCompanyForm(request.POST or None)
    membership_form = staff_forms.MembershipForm(request.POST or None, chambers=chambers)
    # `&`, not `and`: both forms are validated, so that every error shows at once.
    if request.method == "POST" and company_form.is_valid() & membership_form.is_valid():
        data = membership_form.cleaned_data
        try:
            membership = services.member_company_create(
                company=company_form.save(commit=False),
                chamber=data["chamber"],
                actor=request.user,
                tier=data["tier"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                annual_fee=data["annual_fee"],
            )
        except DomainError as error:
            membership_form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(company)s is lid van %(chamber)s.")
                % {"company": membership.company.name, "chamber": membership.chamber.name},
            )
            return redirect("staff:member_detail", slug=membership.company.slug)
    return render(
        request,
        "staff/members/new.html",
        {
            "staff_section": "members",
            "company_form": company_form,
            "membership_form": membership_form,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def membership_new(request, slug):
    """A new membership period for a company already in the user's chambers."""
    company = _company_for(request, slug)
    if not permissions.can_add_members(request.user):
        raise PermissionDenied
    form = staff_forms.MembershipForm(request.POST or None, chambers=_member_chambers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(company=company, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het nieuwe lidmaatschap is bewaard."))
            return redirect("staff:member_detail", slug=company.slug)
    return render(
        request,
        "staff/members/membership_form.html",
        {"staff_section": "members", "company": company, "form": form},
    )


def _membership_for(request, slug: str, pk: int) -> Membership:
    """A membership of a company in scope, at a chamber the user reads (404), that the user
    may manage (403)."""
    company = _company_for(request, slug)
    read_ids = permissions.staff_chamber_ids(request.user, roles.READ_ROLES)
    membership = get_object_or_404(
        company.memberships.at_chambers(read_ids).select_related("chamber", "company"), pk=pk
    )
    if not permissions.can_manage_memberships_at(request.user, membership.chamber_id):
        raise PermissionDenied
    return membership


@require_http_methods(["GET", "POST"])
@staff_required
def membership_renew(request, slug, pk):
    """The next one-year period, with the same formula and fee unless changed."""
    membership = _membership_for(request, slug, pk)
    form = staff_forms.RenewForm(
        request.POST or None,
        initial={"tier": membership.tier, "annual_fee": membership.annual_fee},
    )
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.membership_renew(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("staff:member_detail", slug=slug)
        if renewal.status == Membership.Status.PENDING:
            messages.success(
                request,
                _("Verlengd: het nieuwe lidmaatschap gaat in op %(date)s.")
                % {"date": renewal.valid_from.strftime("%d/%m/%Y")},
            )
        else:
            messages.success(request, _("Verlengd: het nieuwe lidmaatschap loopt."))
        return redirect("staff:member_detail", slug=slug)
    starts = membership.valid_until + datetime.timedelta(days=1)
    return render(
        request,
        "staff/members/renew.html",
        {
            "staff_section": "members",
            "company": membership.company,
            "membership": membership,
            "form": form,
            "starts": starts,
            "ends": services.one_year_from(starts),
        },
    )


@require_POST
@staff_required
def membership_lapse(request, slug, pk):
    membership = _membership_for(request, slug, pk)
    try:
        services.membership_lapse(membership=membership, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het lidmaatschap is vervallen."))
    return redirect("staff:member_detail", slug=slug)


@require_POST
@staff_required
def membership_end(request, slug, pk):
    membership = _membership_for(request, slug, pk)
    try:
        services.membership_end(membership=membership, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het lidmaatschap is beëindigd."))
    return redirect("staff:member_detail", slug=slug)


@require_POST
@staff_required
def join_request_decide(request, slug, pk):
    """Approve or reject a request to join a company of the user's chambers."""
    company = _company_for(request, slug)
    join_request = get_object_or_404(company.join_requests.select_related("user"), pk=pk)
    if not permissions.can_decide_join_request(request.user, join_request):
        raise PermissionDenied
    action = request.POST.get("action")
    name = f"{join_request.first_name} {join_request.last_name}"
    try:
        if action == "approve":
            services.join_request_approve(join_request=join_request, actor=request.user)
            messages.success(
                request,
                _("%(name)s hoort nu bij %(company)s.") % {"name": name, "company": company.name},
            )
        elif action == "reject":
            services.join_request_reject(join_request=join_request, actor=request.user)
            messages.success(request, _("De aanvraag van %(name)s is afgewezen.") % {"name": name})
        else:
            messages.error(request, _("Kies goedkeuren of afwijzen."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("staff:member_detail", slug=slug)


# --- service requests -----------------------------------------------------------------------------


@require_GET
@staff_required
def request_list(request):
    """The inbox of the centres the user's chambers lead, and their own members' requests."""
    read_ids = permissions.staff_chamber_ids(request.user, roles.READ_ROLES)
    act_ids = permissions.staff_chamber_ids(request.user, roles.REQUEST_ROLES)
    form = staff_forms.ServiceRequestFilterForm(request.GET or None)
    requests = permissions.staff_service_requests(request.user)
    if form.is_valid():
        scope, status = form.cleaned_data["scope"], form.cleaned_data["status"]
        if scope == "inbox":
            requests = requests.led_by(read_ids)
        elif scope == "members":
            requests = requests.exclude(centre__lead_chamber_id__in=read_ids)
        if status == "open":
            requests = requests.open()
        elif status:
            requests = requests.filter(status=status)
    page = _page(request, requests.for_staff_listing().order_by("-created_at", "-pk"))
    for service_request in page.object_list:
        service_request.can_act = service_request.centre.lead_chamber_id in act_ids
        service_request.is_ours = service_request.centre.lead_chamber_id in read_ids
    return render(
        request,
        "staff/requests/list.html",
        {
            "staff_section": "requests",
            "form": form,
            "page": page,
            "service_requests": page.object_list,
            "query_string": _query_string(request),
        },
    )


def _request_for(request, pk: int, *, act: bool = False) -> ServiceRequest:
    service_request = get_object_or_404(
        permissions.staff_service_requests(request.user).for_staff_listing(), pk=pk
    )
    if act and not permissions.can_handle_service_request(request.user, service_request):
        raise PermissionDenied
    return service_request


@require_GET
@staff_required
def request_detail(request, pk):
    """One request; its lead chamber's staff act on it, the member's home chamber only reads."""
    service_request = _request_for(request, pk)
    can_act = permissions.can_handle_service_request(request.user, service_request)
    is_open = service_request.status in (
        ServiceRequest.Status.NEW,
        ServiceRequest.Status.ASSIGNED,
        ServiceRequest.Status.IN_PROGRESS,
    )
    context = {
        "staff_section": "requests",
        "service_request": service_request,
        "person": service_request.person,
        "can_act": can_act and is_open,
        "read_only": not can_act,
    }
    if can_act and is_open:
        context.update(
            assign_form=staff_forms.AssignForm(
                assignees=services.service_request_assignees(service_request.centre),
                initial={"assignee": service_request.assignee_id},
            ),
            reply_form=staff_forms.ReplyForm(),
            decline_form=staff_forms.DeclineForm(),
        )
    return render(request, "staff/requests/detail.html", context)


def _act(request, service_request: ServiceRequest, action, success: str):
    """Run a service on the request; its domain error is a message, never a 500."""
    try:
        action(service_request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("staff:request_detail", pk=service_request.pk)


@require_POST
@staff_required
def request_assign(request, pk):
    service_request = _request_for(request, pk, act=True)
    form = staff_forms.AssignForm(
        request.POST, assignees=services.service_request_assignees(service_request.centre)
    )
    if not form.is_valid():
        messages.error(request, _("Kies een beheerder van de trekkende kamer."))
        return redirect("staff:request_detail", pk=pk)
    return _act(
        request,
        service_request,
        lambda sr: services.service_request_assign(
            service_request=sr, assignee=form.cleaned_data["assignee"], actor=request.user
        ),
        _("De vraag is toegewezen."),
    )


@require_POST
@staff_required
def request_reply(request, pk):
    service_request = _request_for(request, pk, act=True)
    form = staff_forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf je antwoord."))
        return redirect("staff:request_detail", pk=pk)
    return _act(
        request,
        service_request,
        lambda sr: services.service_request_reply(
            service_request=sr, actor=request.user, message=form.cleaned_data["message"]
        ),
        _("Je antwoord is verstuurd."),
    )


@require_POST
@staff_required
def request_complete(request, pk):
    return _act(
        request,
        _request_for(request, pk, act=True),
        lambda sr: services.service_request_complete(service_request=sr, actor=request.user),
        _("De vraag is afgehandeld."),
    )


@require_POST
@staff_required
def request_decline(request, pk):
    service_request = _request_for(request, pk, act=True)
    form = staff_forms.DeclineForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    return _act(
        request,
        service_request,
        lambda sr: services.service_request_decline(
            service_request=sr, actor=request.user, message=message
        ),
        _("De vraag is geweigerd."),
    )


# --- imports --------------------------------------------------------------------------------------


def _importer(view):
    """Imports are writes: IMPORT_ROLES at some chamber, even to see the page (403 otherwise)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


@require_http_methods(["GET", "POST"])
@_importer
def import_start(request):
    """Upload a file: small files are checked at once, big ones by a task with a progress bar."""
    form = staff_forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.job_start(uploaded_file=form.cleaned_data["file"], actor=request.user)
        try:
            rows = imports.job_row_count(job)
        except imports.ImportFileError as error:
            imports.job_discard(job)
            form.add_error("file", error.message)
        else:
            job["rows"] = rows
            imports.job_save(job)
            _run_or_enqueue(job, write=False)
            return redirect("staff:import_job", job_id=job["id"])
    return render(
        request,
        "staff/imports.html",
        {
            "staff_section": "imports",
            "form": form,
            "columns": imports.COLUMNS,
            "sync_limit": imports.SYNC_LIMIT,
        },
    )


def _run_or_enqueue(job: dict, *, write: bool) -> None:
    if job["rows"] <= imports.SYNC_LIMIT:
        imports.job_run(job["id"], write=write)
        return
    job.update(state="queued", phase="write" if write else "check", done=0)
    imports.job_save(job)
    job_id = job["id"]
    transaction.on_commit(lambda: import_companies.delay(job_id, write))


def _job_for(request, job_id: str) -> dict:
    job = imports.job_get(job_id, request.user)
    if job is None:
        raise Http404
    return job


@require_GET
@_importer
def import_job(request, job_id):
    """The dry run's outcome, the progress of a task, or the import's result."""
    job = _job_for(request, job_id)
    percent = round(100 * job["done"] / job["total"]) if job["total"] else 0
    context = {
        "staff_section": "imports",
        "job": job,
        "percent": percent,
        "working": job["state"] in ("queued", "running", "uploaded"),
        "errors_shown": job["errors"][:500],
    }
    if request.htmx:
        return render(request, "staff/imports_progress.html", context)
    return render(request, "staff/imports_job.html", context)


@require_POST
@_importer
def import_write(request, job_id):
    """Import a checked file, all or nothing."""
    job = _job_for(request, job_id)
    if job["state"] != "checked":
        messages.error(
            request, _("Alleen een gecontroleerd bestand zonder fouten kan je importeren.")
        )
        return redirect("staff:import_job", job_id=job_id)
    _run_or_enqueue(job, write=True)
    job = imports.job_get(job_id)
    if job["state"] == "done":
        messages.success(
            request, _("%(count)s ondernemingen zijn geïmporteerd.") % {"count": job["created"]}
        )
    return redirect("staff:import_job", job_id=job_id)


@require_GET
@_importer
def import_errors(request, job_id):
    """Every reason, as CSV, for whoever fixes the file."""
    job = _job_for(request, job_id)
    response = HttpResponse(imports.errors_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fouten-{job_id[:8]}.csv"'
    return response


@require_GET
@_importer
def import_template(request):
    """An empty file with the column titles, to start from."""
    header = ",".join(column.label for column in imports.COLUMNS)
    response = HttpResponse(f"{header}\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="leden-import.csv"'
    return response
