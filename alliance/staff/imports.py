"""The back-office's imports of member companies (/staff/imports/): a dry run first, then all
or nothing. The checks and the writes are members/imports.py; big files run as a task."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.staff.base import staff_required
from alliance.staff.forms import members as staff_forms
from members import imports, permissions
from members.tasks import import_companies

# Imports are writes: IMPORT_ROLES at some chamber, even to see the page (403 otherwise).
_importer = staff_required(permission=permissions.can_import)


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
