"""The back-office's members (/staff/members/): companies, their memberships, who asks to join.

Every page is for staff only: a visitor is sent to log in, a logged-in user without a staff role
gets a 403. What a page lists comes from a queryset scoped to the user's chambers, so an address
outside them is a 404 (never a leak); a write the user's role does not allow is a 403. The rules
are in members/permissions.py, the writes in members/services.py.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.base.views import run_service
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms import members as staff_forms
from chambers import roles
from chambers.models import Chamber
from invoicing.models import Invoice
from members import permissions, services
from members.filtersets import StaffMemberFilterSet
from members.forms import CompanyProfileForm, JoinDecisionForm, PersonForm
from members.models import Company, ConsentRecord, JoinRequest, Membership

# The latest changes of a company's consents on its page (all are kept).
CONSENT_HISTORY_SHOWN = 10


def _member_chambers(user):
    return Chamber.objects.filter(
        pk__in=roles.chamber_ids_where(user, roles.MEMBER_ROLES)
    ).order_by("name")


class MemberListView(StaffListView):
    """The companies with a current or past membership at the user's chambers, filtered."""

    section = "members"
    template_name = "staff/members/list.html"
    filterset_class = StaffMemberFilterSet
    context_object_name = "companies"
    scope_filters = ("chamber",)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user)

    def get_context_data(self, **context):
        return context | {
            "chambers": list(context["filterset"].filters["chamber"].queryset),
            "chosen_chamber": self.request.GET.get("chamber", ""),
            "can_add_members": permissions.can_add_members(self.request.user),
        }


member_list = MemberListView.as_view()


def _company_for(request, slug: str) -> Company:
    return get_object_or_404(Company.objects.visible_to(request.user), slug=slug)


def _with_actions(memberships: list[Membership], user) -> list[Membership]:
    """The periods the user may see, each with the actions it offers them (the model's rule)."""
    read_ids = roles.chamber_ids_where(user, roles.READ_ROLES)
    shown = [membership for membership in memberships if membership.chamber_id in read_ids]
    dues = Invoice.objects.dues_by_membership(membership.pk for membership in shown)
    for membership in shown:
        membership.dues_invoice = dues.get(membership.pk)
        for name, allowed in permissions.membership_actions(user, membership).items():
            setattr(membership, name, allowed)
    return shown


@require_http_methods(["GET"])
@staff_required
def member_detail(request, slug):
    """A company: its facts, its periods at the user's chambers, its people, who asks to join."""
    return _render_detail(request, _company_for(request, slug))


def _render_detail(request, company, *, consent_form=None, status=200):
    memberships = list(
        company.memberships.with_followed().select_related("chamber").order_by("-valid_from")
    )
    can_manage = permissions.can_manage_company(request.user, company)
    return render(
        request,
        "staff/members/detail.html",
        {
            "staff_section": "members",
            "company": company,
            "memberships": _with_actions(memberships, request.user),
            "people": company.people.filter(erased_at__isnull=True).order_by(
                "last_name", "first_name", "pk"
            ),
            "join_requests": company.join_requests.filter(
                status=JoinRequest.Status.PENDING
            ).select_related("user"),
            "can_add_membership": permissions.can_add_members(request.user),
            "consent_history": company.consent_records.select_related("recorded_by")[
                :CONSENT_HISTORY_SHOWN
            ],
            "can_decide_join_requests": can_manage,
            "can_appoint_admins": can_manage,
            "can_erase": permissions.can_erase_staff_side(request.user, company),
            "can_manage_company": can_manage,
            "consent_form": consent_form or staff_forms.ConsentOnBehalfForm(),
        },
        status=status,
    )


def _managed_company(request, slug) -> Company:
    """The company, if the user manages it (its home chamber's MEMBER_ROLES, alliance admins):
    404 outside the user's chambers, 403 for those who only read it."""
    company = _company_for(request, slug)
    if not permissions.can_manage_company(request.user, company):
        raise PermissionDenied
    return company


@require_http_methods(["GET", "POST"])
@staff_required
def member_edit(request, slug):
    """The company's profile, the same form and service as the company admin's /me/company/."""
    company = _managed_company(request, slug)
    form = CompanyProfileForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        done = run_service(
            request,
            lambda: services.company_profile_update(
                company=company, actor=request.user, data=data, sectors=sectors
            ),
            success=_("Het profiel van %(company)s is bijgewerkt.") % {"company": company.name},
            form=form,
        )
        if done:
            return redirect("staff:member_detail", slug=company.slug)
    return render(
        request,
        "staff/members/edit.html",
        {"staff_section": "members", "company": company, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def person_edit(request, slug, pk):
    """A person of the company: job title, role (the company keeps an admin) and phone."""
    company = _managed_company(request, slug)
    person = get_object_or_404(company.people, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.person_update(
                person=person,
                actor=request.user,
                job_title=data["job_title"],
                role=data["role"],
                phone=data["phone"],
            ),
            success=_("De gegevens van %(name)s zijn bijgewerkt.") % {"name": person.full_name},
            form=form,
        )
        if done:
            return redirect("staff:member_detail", slug=company.slug)
    return render(
        request,
        "staff/members/person.html",
        {"staff_section": "members", "company": company, "person": person, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def consent_record(request, slug):
    """Staff record a consent the company gave or withdrew outside the portal (by phone, by
    letter), with the day and who gave it; the history keeps every change."""
    company = _managed_company(request, slug)
    form = staff_forms.ConsentOnBehalfForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, company, consent_form=form, status=400)
    data = form.cleaned_data
    directory = company.directory_consent
    partners = None
    if data["purpose"] == ConsentRecord.Purpose.DIRECTORY:
        directory = data["given"]
    else:
        partners = data["given"]
    before = company.consent_records.count()
    done = run_service(
        request,
        lambda: services.company_consent_update(
            company=company,
            actor=request.user,
            directory_consent=directory,
            partner_consent=partners,
            source=ConsentRecord.Source.STAFF,
            given_by=data["given_by"],
            given_on=data["given_on"],
        ),
        form=form,
    )
    if not done:
        return _render_detail(request, company, consent_form=form, status=400)
    if company.consent_records.count() == before:
        messages.info(request, _("Niets veranderd: de onderneming stond al zo ingesteld."))
    else:
        messages.success(request, _("De toestemming is bewaard in de geschiedenis."))
    return redirect("staff:member_detail", slug=company.slug)


@require_POST
@staff_required
def person_role(request, slug, pk):
    """Appoint a company admin, or make an admin an employee again (the company keeps one)."""
    company = _company_for(request, slug)
    person = get_object_or_404(company.people, pk=pk)
    if not permissions.can_manage_company(request.user, company):
        raise PermissionDenied
    form = staff_forms.PersonRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies beheerder of medewerker."))
        return redirect("staff:member_detail", slug=company.slug)
    run_service(
        request,
        lambda: services.person_role_set(
            person=person, role=form.cleaned_data["role"], actor=request.user
        ),
        success=lambda changed: (
            (
                _("%(name)s is nu beheerder van %(company)s.")
                if changed.is_company_admin
                else _("%(name)s is nu medewerker van %(company)s, geen beheerder meer.")
            )
            % {"name": changed.full_name, "company": company.name}
        ),
    )
    return redirect("staff:member_detail", slug=company.slug)


@require_http_methods(["GET", "POST"])
@staff_required
def person_erase(request, slug, pk):
    """Erase a person on request (GDPR art. 17): a confirmation page, then members.services
    person_erase. Alliance admins, and chamber admins of a chamber the company is a member of."""
    company = _company_for(request, slug)
    person = get_object_or_404(company.people, pk=pk, erased_at__isnull=True)
    if not permissions.can_erase_person(request.user, person):
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Vink aan dat je deze persoon wil wissen."))
        else:
            name = person.full_name
            erased = run_service(
                request,
                lambda: services.person_erase(person=person, actor=request.user),
                success=_("%(name)s is gewist. Hun inschrijvingen blijven meetellen, zonder naam.")
                % {"name": name},
            )
            if erased:
                return redirect("staff:member_detail", slug=company.slug)
    return render(
        request,
        "staff/members/person_erase.html",
        {
            "staff_section": "members",
            "company": company,
            "person": person,
            "registrations": person.registrations.count(),
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
    admin_form = staff_forms.CompanyAdminForm(request.POST or None)
    # `&`, not `and`: every form is validated, so that every error shows at once.
    if (
        request.method == "POST"
        and company_form.is_valid() & membership_form.is_valid() & admin_form.is_valid()
    ):
        data = membership_form.cleaned_data
        membership = run_service(
            request,
            lambda: services.member_company_create(
                company=company_form.save(commit=False),
                chamber=data["chamber"],
                actor=request.user,
                tier=data["tier"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                annual_fee=data["annual_fee"],
                admin=admin_form.cleaned_data,
            ),
            success=lambda membership: (
                _("%(company)s is lid van %(chamber)s.")
                % {"company": membership.company.name, "chamber": membership.chamber.name}
            ),
            form=membership_form,
        )
        if membership:
            return redirect("staff:member_detail", slug=membership.company.slug)
    return render(
        request,
        "staff/members/new.html",
        {
            "staff_section": "members",
            "company_form": company_form,
            "membership_form": membership_form,
            "admin_form": admin_form,
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
        created = run_service(
            request,
            lambda: services.membership_create(
                company=company, actor=request.user, **form.cleaned_data
            ),
            success=_("Het nieuwe lidmaatschap is bewaard."),
            form=form,
        )
        if created:
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
    read_ids = roles.chamber_ids_where(request.user, roles.READ_ROLES)
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
        renewal = run_service(
            request,
            lambda: services.membership_renew(
                membership=membership, actor=request.user, **form.cleaned_data
            ),
        )
        if not renewal:
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
    run_service(
        request,
        lambda: services.membership_lapse(membership=membership, actor=request.user),
        success=_("Het lidmaatschap is vervallen."),
    )
    return redirect("staff:member_detail", slug=slug)


@require_POST
@staff_required
def membership_end(request, slug, pk):
    membership = _membership_for(request, slug, pk)
    run_service(
        request,
        lambda: services.membership_end(membership=membership, actor=request.user),
        success=_("Het lidmaatschap is beëindigd."),
    )
    return redirect("staff:member_detail", slug=slug)


@require_POST
@staff_required
def join_request_decide(request, slug, pk):
    """Approve or reject a request to join a company of the user's chambers: one view for both
    decisions, so that a refusal is answered the same way (403) whichever was asked."""
    company = _company_for(request, slug)
    join_request = get_object_or_404(company.join_requests.select_related("user"), pk=pk)
    if not permissions.can_decide_join_request(request.user, join_request):
        raise PermissionDenied
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies goedkeuren of afwijzen."))
        return redirect("staff:member_detail", slug=slug)
    name = f"{join_request.first_name} {join_request.last_name}"
    if form.cleaned_data["action"] == "approve":
        run_service(
            request,
            lambda: services.join_request_approve(join_request=join_request, actor=request.user),
            success=_("%(name)s hoort nu bij %(company)s.")
            % {"name": name, "company": company.name},
        )
    else:
        run_service(
            request,
            lambda: services.join_request_reject(join_request=join_request, actor=request.user),
            success=_("De aanvraag van %(name)s is afgewezen.") % {"name": name},
        )
    return redirect("staff:member_detail", slug=slug)
