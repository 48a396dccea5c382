"""The audit trail in the back-office (/staff/audit/): who changed what, when and from where.

Read from pghistory's `Events` (every tracked model's event table, alliance/base/audit.py).
Alliance admins read every row; chamber admins the rows about their chambers: the chamber
itself, its staff roles, its memberships, the events it organises and their registrations,
quotas and seat allocations, and the companies with a membership there (ever) with their people,
join and service requests. Scoping reads the row's own snapshot (`pgh_data`), so deleted rows
keep their scope.
Everyone else gets a 403. Nothing here writes: the trail is append-only in the database.
"""

import csv
import io

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from pghistory.models import Events

from alliance.base import audit
from alliance.base.spreadsheets import safe_text
from alliance.security import security_log
from alliance.staff.base import StaffListView, staff_required
from chambers import roles
from chambers.models import Partner
from events.models import Event
from members.models import Company, Membership

# The most rows one CSV holds; narrow the filters for more.
EXPORT_MAX_ROWS = 10_000

ACTIONS = (
    (audit.CREATE, gettext_lazy("aangemaakt")),
    (audit.UPDATE, gettext_lazy("gewijzigd")),
    (audit.DELETE, gettext_lazy("verwijderd")),
    (audit.EXPORT, gettext_lazy("geëxporteerd")),
    (audit.ERASE, gettext_lazy("gewist op verzoek")),
)
ACTION_LABELS = dict(ACTIONS)

# The snapshot's fields that name a row, in order of preference.
NAME_FIELDS = ("title", "name", "prefix", "email")


def tracked_models() -> list:
    """The tracked models, by their label ("events.Event"), named in the user's language."""
    return sorted(
        {model.pgh_tracked_model for model in audit.event_models()},
        key=lambda model: str(model._meta.verbose_name),
    )


def kind_choices():
    return [
        (model._meta.label, model._meta.verbose_name.capitalize()) for model in tracked_models()
    ]


def _as_text(queryset):
    return queryset.annotate(pk_text=Cast("pk", TextField())).values("pk_text")


def rows_visible_to(user):
    """The audit rows `user` may read: everything for alliance admins, their chambers' rows for
    chamber admins, nothing for anyone else. One query however many chambers."""
    rows = Events.objects.order_by("-pgh_created_at", "-pgh_id")
    if roles.is_alliance_admin(user):
        return rows
    chamber_ids = sorted(roles.chamber_ids_where(user, roles.AUDIT_ROLES))
    if not chamber_ids:
        return rows.none()
    chamber_texts = [str(pk) for pk in chamber_ids]
    events = _as_text(Event.objects.filter(organiser_id__in=chamber_ids))
    companies = _as_text(
        Company.objects.filter(
            pk__in=Membership.objects.filter(chamber_id__in=chamber_ids).values("company_id")
        )
    )
    rows = rows.alias(data_event=KT("pgh_data__event_id"), data_company=KT("pgh_data__company_id"))
    return rows.filter(
        Q(pgh_obj_model="chambers.Chamber", pgh_obj_id__in=chamber_texts)
        | Q(
            pgh_obj_model__in=("chambers.StaffRole", "members.Membership"),
            pgh_data__chamber_id__in=chamber_ids,
        )
        | Q(pgh_obj_model="events.Event", pgh_data__organiser_id__in=chamber_ids)
        | Q(
            pgh_obj_model__in=(
                "events.Registration",
                "events.DelegationQuota",
                "events.SeatAllocation",
            ),
            data_event__in=events,
        )
        | Q(pgh_obj_model="members.Company", pgh_obj_id__in=companies)
        | Q(
            pgh_obj_model__in=("members.Person", "members.JoinRequest", "members.ServiceRequest"),
            data_company__in=companies,
        )
    )


class AuditFilterSet(django_filters.FilterSet):
    """Who, what kind of row, which action, a date range, and free text on the row."""

    who = django_filters.CharFilter(
        label=gettext_lazy("Wie (e-mailadres)"), method="filter_who", max_length=100
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Soort"),
        field_name="pgh_obj_model",
        choices=kind_choices,
        empty_label=gettext_lazy("Alle soorten"),
    )
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Actie"),
        field_name="pgh_label",
        choices=ACTIONS,
        empty_label=gettext_lazy("Alle acties"),
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("Vanaf"),
        field_name="pgh_created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("Tot en met"),
        field_name="pgh_created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(
        label=gettext_lazy("Zoek in de gegevens"), method="filter_q", max_length=100
    )

    def filter_who(self, queryset, name, value):
        if value.strip().lower() in ("system", _("systeem").lower()):
            return queryset.filter(Q(pgh_context__isnull=True) | Q(pgh_context__actor="system"))
        users = _as_text(get_user_model().objects.filter(email__icontains=value.strip()))
        return queryset.alias(context_user=KT("pgh_context__user")).filter(context_user__in=users)

    def filter_q(self, queryset, name, value):
        return queryset.alias(data_text=Cast("pgh_data", TextField())).filter(
            data_text__icontains=value.strip()
        )


def _name_of(data: dict) -> str:
    if data.get("first_name") or data.get("last_name"):
        return f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
    for field in NAME_FIELDS:
        if data.get(field):
            return str(data[field])
    return f"#{data.get('id', '')}"


def describe(rows: list) -> list:
    """What each row shows: who (a user, a partner's key, the system), the kind, the action,
    the row's name. Two queries for the page (users, partners), none per row."""
    contexts = [row.pgh_context or {} for row in rows]
    user_ids = {context["user"] for context in contexts if context.get("user")}
    partner_ids = {context["partner"] for context in contexts if context.get("partner")}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)}
    partners = dict(Partner.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
    models = {model._meta.label: model for model in tracked_models()}
    for row, context in zip(rows, contexts, strict=True):
        user = users.get(context.get("user"))
        if user is not None:
            row.who = user.email or user.get_username()
        elif context.get("partner"):
            row.who = _("partner %(name)s (sleutel %(key)s)") % {
                "name": partners.get(context["partner"], "?"),
                "key": str(context.get("partner_key", ""))[:8],
            }
        else:
            row.who = _("systeem")
        row.address = context.get("address") or ""
        row.page = context.get("url") or context.get("task") or context.get("command") or ""
        model = models.get(row.pgh_obj_model) or apps.get_model(row.pgh_obj_model)
        row.kind = model._meta.verbose_name.capitalize()
        row.action = ACTION_LABELS.get(row.pgh_label, row.pgh_label)
        row.name = _name_of(row.pgh_data or {})
        row.changes = [
            (field, values[0], values[1])
            for field, values in sorted((row.pgh_diff or {}).items())
            if field not in ("updated_at", "created_at")
        ]
    return rows


class AuditListView(StaffListView):
    section = "audit"
    template_name = "staff/audit/list.html"
    filterset_class = AuditFilterSet
    context_object_name = "audit_rows"
    permission = roles.may_read_audit

    def get_queryset(self):
        return rows_visible_to(self.request.user)

    def decorate(self, rows):
        return describe(rows)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return audit_csv(request)
        return super().get(request, *args, **kwargs)


audit_list = AuditListView.as_view()


def audit_csv(request) -> HttpResponse:
    """The filtered rows as CSV (formula-safe), newest first, up to EXPORT_MAX_ROWS."""
    filterset = AuditFilterSet(request.GET, queryset=rows_visible_to(request.user))
    if not filterset.is_valid():
        raise Http404
    rows = describe(list(filterset.qs[:EXPORT_MAX_ROWS]))
    security_log.info(
        "audit exported by user %s from %s: %s rows",
        request.user.pk,
        request.META.get("REMOTE_ADDR"),
        len(rows),
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Tijdstip"),
            _("Wie"),
            _("Adres"),
            _("Via"),
            _("Soort"),
            _("Id"),
            _("Naam"),
            _("Actie"),
            _("Wijzigingen"),
        ]
    )
    for row in rows:
        changes = "; ".join(f"{field}: {before} → {after}" for field, before, after in row.changes)
        writer.writerow(
            [
                safe_text(value)
                for value in (
                    timezone.localtime(row.pgh_created_at).isoformat(timespec="seconds"),
                    row.who,
                    row.address,
                    row.page,
                    str(row.kind),
                    row.pgh_obj_id,
                    row.name,
                    str(row.action),
                    changes,
                )
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response


@require_GET
@staff_required(permission=roles.may_read_audit)
def audit_detail(request, slug):
    """One row: its context, the values it recorded and what changed (its diff)."""
    row = rows_visible_to(request.user).filter(pgh_slug=slug).first()
    if row is None:
        raise Http404
    (row,) = describe([row])
    return render(
        request,
        "staff/audit/detail.html",
        {
            "staff_section": "audit",
            "row": row,
            "data": sorted((row.pgh_data or {}).items()),
            "context": sorted((row.pgh_context or {}).items()),
        },
    )
