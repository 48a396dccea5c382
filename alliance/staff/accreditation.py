"""The federation's accreditation of chambers in the back-office (/staff/accreditation/).

Who sees what (chambers/accreditation.py states the rules once):
- federation reviewers and alliance admins see every cycle, open cycles, comment per principle,
  ask for more evidence and decide; a chamber's answers are not theirs to change (403);
- a chamber's staff see their chamber's cycles (another chamber's cycle is a 404); its chamber
  admins fill the self-assessment while the cycle is open or more evidence was asked, and submit
  it; its other staff (viewers, event managers) only read (403 on a write);
- a decided cycle holds still for everyone: the services refuse with a message.
The writes are chambers.accreditation's services, through run_service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from weasyprint import HTML

from alliance.base.views import run_service
from alliance.figures.accreditation import figures_for
from alliance.staff.base import StaffListView, staff_required
from alliance.staff.forms.accreditation import (
    AnswerForm,
    CycleOpenForm,
    DecisionForm,
    MoreEvidenceForm,
    ReviewForm,
)
from chambers import accreditation
from chambers.models import (
    AccreditationAnswer,
    AccreditationCycle,
    AccreditationEvidence,
)


class CycleListView(StaffListView):
    """The cycles the user may see, the undecided first."""

    section = "accreditation"
    template_name = "staff/accreditation/list.html"
    context_object_name = "cycles"
    permission = staticmethod(accreditation.may_see_accreditation)

    def get_queryset(self):
        return (
            accreditation.cycles_visible_to(self.request.user)
            .for_listing()
            .annotate(
                answered=Count("answers", filter=~Q(answers__status="")),
                principles=Count("answers"),
            )
        )

    def get_context_data(self, **context):
        context["may_open"] = accreditation.may_review(self.request.user)
        return context


cycle_list = CycleListView.as_view()


@staff_required(permission=accreditation.may_review)
def cycle_new(request):
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = run_service(
            request,
            lambda: accreditation.accreditation_cycle_open(
                chamber=data["chamber"],
                self_assessment_due=data["self_assessment_due"],
                decision_due=data["decision_due"],
                actor=request.user,
            ),
            success=_("De ronde is geopend; de kamerbeheerders kregen een e-mail."),
            form=form,
        )
        if cycle:
            return redirect("staff:accreditation_cycle", pk=cycle.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staff/accreditation/new.html",
        {"staff_section": "accreditation", "form": form},
        status=status,
    )


def _cycle_for(request, pk) -> AccreditationCycle:
    """The cycle from the user's scope: a 404 outside it."""
    return get_object_or_404(
        accreditation.cycles_visible_to(request.user).select_related("chamber"), pk=pk
    )


def _answer_for(request, pk, answer_pk) -> AccreditationAnswer:
    cycle = _cycle_for(request, pk)
    answer = get_object_or_404(cycle.answers.select_related("principle"), pk=answer_pk)
    answer.cycle = cycle
    return answer


@require_GET
@staff_required(permission=accreditation.may_see_accreditation)
def cycle_detail(request, pk):
    cycle = _cycle_for(request, pk)
    user = request.user
    answers = list(
        cycle.answers.select_related("principle").prefetch_related(
            Prefetch("evidence", queryset=AccreditationEvidence.objects.order_by("pk"))
        )
    )
    may_answer = accreditation.may_answer(user, cycle)
    may_review = accreditation.may_review(user) and cycle.is_under_review
    figures = figures_for(cycle)
    for answer in answers:
        answer.figures = figures.get(answer.principle.number, [])
        if may_answer:
            answer.form = AnswerForm(
                initial={"status": answer.status, "explanation": answer.explanation},
                prefix=f"a{answer.pk}",
            )
        if may_review:
            answer.review_form = ReviewForm(
                initial={
                    "comment": answer.reviewer_comment,
                    "more_evidence": answer.more_evidence_requested,
                },
                prefix=f"r{answer.pk}",
            )
    log = cycle.log.select_related("actor", "principle").order_by("-at", "-pk")
    return render(
        request,
        "staff/accreditation/detail.html",
        {
            "staff_section": "accreditation",
            "cycle": cycle,
            "answers": answers,
            "log": log,
            "may_answer": may_answer,
            "may_review": may_review,
            "complete": all(answer.is_complete for answer in answers),
            "more_evidence_form": MoreEvidenceForm() if may_review else None,
            "decision_form": DecisionForm() if may_review else None,
        },
    )


def _require_answerer(request, cycle):
    """Only the chamber's own chamber admins write its answers (reviewers included: 403)."""
    if not accreditation.may_answer_chamber(request.user, cycle):
        raise PermissionDenied


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def answer_save(request, pk, answer_pk):
    answer = _answer_for(request, pk, answer_pk)
    _require_answerer(request, answer.cycle)
    form = AnswerForm(request.POST, request.FILES, prefix=f"a{answer.pk}")
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, errors)
        return redirect(_anchor(answer))
    data = form.cleaned_data
    run_service(
        request,
        lambda: accreditation.accreditation_answer_save(
            answer=answer,
            status=data["status"],
            explanation=data["explanation"],
            uploaded_file=data["file"],
            actor=request.user,
        ),
        success=_("Principe %(number)s is bewaard.") % {"number": answer.principle.number},
    )
    return redirect(_anchor(answer))


def _anchor(answer) -> str:
    return reverse("staff:accreditation_cycle", kwargs={"pk": answer.cycle_id}) + (
        f"#principle-{answer.principle.number}"
    )


@require_GET
@staff_required(permission=accreditation.may_see_accreditation)
def evidence_download(request, pk, evidence_pk):
    cycle = _cycle_for(request, pk)
    evidence = get_object_or_404(AccreditationEvidence, pk=evidence_pk, answer__cycle=cycle)
    try:
        stored = evidence.file.open("rb")
    except FileNotFoundError as missing:  # the storage lost it: say so, never a 500
        raise Http404 from missing
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def evidence_remove(request, pk, evidence_pk):
    cycle = _cycle_for(request, pk)
    evidence = get_object_or_404(
        AccreditationEvidence.objects.select_related("answer__principle"),
        pk=evidence_pk,
        answer__cycle=cycle,
    )
    _require_answerer(request, cycle)
    evidence.answer.cycle = cycle
    run_service(
        request,
        lambda: accreditation.accreditation_evidence_remove(evidence=evidence, actor=request.user),
        success=_("Het bewijsstuk %(name)s is verwijderd.") % {"name": evidence.original_name},
    )
    return redirect(_anchor(evidence.answer))


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def cycle_submit(request, pk):
    cycle = _cycle_for(request, pk)
    _require_answerer(request, cycle)
    run_service(
        request,
        lambda: accreditation.accreditation_cycle_submit(cycle=cycle, actor=request.user),
        success=_("De zelfevaluatie is ingediend bij de federatie."),
    )
    return redirect("staff:accreditation_cycle", pk=cycle.pk)


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def answer_review(request, pk, answer_pk):
    answer = _answer_for(request, pk, answer_pk)
    if not accreditation.may_review(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST, prefix=f"r{answer.pk}")
    if not form.is_valid():
        messages.error(request, _("Deze opmerking is te lang."))
        return redirect(_anchor(answer))
    run_service(
        request,
        lambda: accreditation.accreditation_answer_review(
            answer=answer,
            comment=form.cleaned_data["comment"],
            more_evidence=form.cleaned_data["more_evidence"],
            actor=request.user,
        ),
        success=_("Je opmerking bij principe %(number)s is bewaard.")
        % {"number": answer.principle.number},
    )
    return redirect(_anchor(answer))


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def more_evidence(request, pk):
    cycle = _cycle_for(request, pk)
    if not accreditation.may_review(request.user):
        raise PermissionDenied
    form = MoreEvidenceForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    run_service(
        request,
        lambda: accreditation.accreditation_more_evidence_request(
            cycle=cycle, comment=comment, actor=request.user
        ),
        success=_("De kamer kan haar zelfevaluatie nu aanvullen; ze kreeg een e-mail."),
    )
    return redirect("staff:accreditation_cycle", pk=cycle.pk)


@require_POST
@staff_required(permission=accreditation.may_see_accreditation)
def cycle_decide(request, pk):
    cycle = _cycle_for(request, pk)
    if not accreditation.may_review(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, errors)
        return redirect("staff:accreditation_cycle", pk=cycle.pk)
    data = form.cleaned_data
    run_service(
        request,
        lambda: accreditation.accreditation_cycle_decide(
            cycle=cycle,
            decision=data["decision"],
            comment=data["comment"],
            conditions=data["conditions"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            actor=request.user,
        ),
        success=_("De beslissing is genomen en aan de kamer gemeld."),
    )
    return redirect("staff:accreditation_cycle", pk=cycle.pk)


def report_pdf(cycle: AccreditationCycle) -> bytes:
    """The cycle's report as a PDF, in the chamber's language: every principle with the
    chamber's answer, its evidence and the portal's figures (small charts), the reviewer's
    comments, the decision and the log."""
    answers = list(
        cycle.answers.select_related("principle").prefetch_related(
            Prefetch("evidence", queryset=AccreditationEvidence.objects.order_by("pk"))
        )
    )
    with translation.override(cycle.chamber.language):
        figures = figures_for(cycle)
        for answer in answers:
            # The principle's name in the report's language (modeltranslation reads it now).
            answer.principle_name = answer.principle.name
            answer.figures = figures.get(answer.principle.number, [])
        html = render_to_string(
            "staff/accreditation/report.html",
            {
                "cycle": cycle,
                "answers": answers,
                "log": cycle.log.select_related("actor", "principle").order_by("at", "pk"),
                "today": timezone.localdate(),
                "language": cycle.chamber.language,
            },
        )
    return HTML(string=html).write_pdf()


@require_GET
@staff_required(permission=accreditation.may_see_accreditation)
def cycle_report(request, pk):
    cycle = _cycle_for(request, pk)
    response = HttpResponse(report_pdf(cycle), content_type="application/pdf")
    filename = f"accreditatie-{cycle.chamber.slug}-{cycle.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
