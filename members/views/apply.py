"""Applying for membership (/me/apply/): a company asks the chamber of its region to become a
member, choosing a tier; the applicant is to be its admin. The chamber's member staff decide in
/staff/applications/ (members.services.membership_application_*).

Open to a logged-in account: with a company of its own (its admin, or a company without one)
the application is for that company; without one, the applicant names the company by its
identifier (created as a non-member when the portal does not know it).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.base.ratelimits import consume_or_429
from alliance.base.views import run_service
from members import forms, services
from members.models import MembershipApplication
from members.permissions import person_of


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    person = person_of(request.user)
    company = person.company if person else None
    initial = {"first_name": request.user.first_name, "last_name": request.user.last_name}
    if person is not None:
        initial |= {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
        }
    form = forms.MembershipApplicationForm(
        request.POST if request.method == "POST" else None, company=company, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        refused = consume_or_429(request, "membership_application")
        if refused:
            return refused
        if form.is_valid():
            data = form.cleaned_data
            application = run_service(
                request,
                lambda: services.membership_application_create(
                    user=request.user,
                    chamber=data["chamber"],
                    tier=data["tier"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    job_title=data["job_title"],
                    message=data["message"],
                    identifier=data.get("identifier", ""),
                    company_data=form.company_data() if company is None else None,
                ),
                success=lambda made: (
                    _(
                        "Je aanvraag is verstuurd naar %(chamber)s. Je krijgt een e-mail zodra "
                        "ze beslist is."
                    )
                    % {"chamber": made.chamber.name}
                ),
                form=form,
            )
            if application:
                return redirect("me:apply")
    pending = (
        MembershipApplication.objects.filter(applicant=request.user)
        .select_related("company", "chamber")
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "members/apply.html",
        {"form": form, "company": company, "latest": pending},
        status=status,
    )
