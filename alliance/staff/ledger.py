"""The settlement ledger in the back-office (/staff/ledger/): who served whose members.

Per period (?start=&end=, Brussels dates; the current year by default): the balance between each
pair of chambers and every entry, for an alliance admin across the alliance, for a chamber admin
the entries where their chamber served or is the home chamber (roles.LEDGER_ROLES; anyone else a
403). ?format=csv or ?format=xlsx downloads the entries. The rules are events/ledger.py.
"""

import csv
import datetime
import io
from decimal import Decimal

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from alliance.base.spreadsheets import safe_text
from alliance.base.views import paginate
from alliance.staff.base import staff_required
from chambers import roles
from events import ledger

ENTRIES_PER_PAGE = 50


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Het einde ligt na het begin."))
        return data


def ledger_scope(user) -> list[int] | None:
    """None: the whole alliance; else the chambers whose ledger the user reads."""
    if roles.is_alliance_admin(user):
        return None
    return sorted(roles.chamber_ids_where(user, roles.LEDGER_ROLES))


def may_read_ledger(user) -> bool:
    return roles.is_alliance_admin(user) or bool(roles.chamber_ids_where(user, roles.LEDGER_ROLES))


def period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    today = timezone.localdate()
    default = {"start": today.replace(month=1, day=1), "end": today.replace(month=12, day=31)}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


@require_GET
@staff_required(permission=may_read_ledger)
def ledger_page(request):
    form, start, end = period(request)
    rows = ledger.entries(start, end, ledger_scope(request.user))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _download(ledger.export_rows(rows), fmt, start, end)
    names = ledger.chamber_names(rows)
    page = paginate(request, rows, ENTRIES_PER_PAGE)
    return render(
        request,
        "staff/ledger.html",
        {
            "staff_section": "figures",
            "form": form,
            "start": start,
            "end": end,
            "balances": ledger.balances(rows),
            "entries": [
                {
                    "entry": entry,
                    "kind": ledger.KIND_NAMES[entry.kind],
                    "serving": names.get(entry.serving_id, ""),
                    "home": names.get(entry.home_id, "") if entry.home_id else "",
                }
                for entry in page.object_list
            ],
            "page": page,
            "total": sum((entry.amount for entry in rows), start=Decimal("0.00")),
            "count": len(rows),
            "query": f"start={start.isoformat()}&end={end.isoformat()}",
        },
    )


def _download(table: list[tuple], fmt: str, start, end) -> HttpResponse:
    name = f"verrekening-{start.isoformat()}-{end.isoformat()}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([[safe_text(value) for value in row] for row in table])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(_("Verrekening"))[:31])
        bold = Font(bold=True)
        for number, row in enumerate(table):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=safe_text(value))
                if number == 0:
                    cell.font = bold
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, Decimal):
                    cell.number_format = "0.00"
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
