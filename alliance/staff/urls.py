"""The back-office at /staff/: every page of it, in the one namespace "staff"."""

from django.urls import path

from alliance.base.replica import on_replica
from alliance.staff import (
    accreditation,
    applications,
    audit,
    chambers,
    dashboard,
    events,
    figures,
    imports,
    invoices,
    ledger,
    members,
    partners,
    payments,
    prospects,
    requests,
    team,
)

app_name = "staff"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Payments: what is open per company, bank statements (CODA), money in to look at.
    path("payments/", payments.payments_open, name="payments_open"),
    path("payments/statements/", payments.bank_statements, name="bank_statements"),
    path("payments/to-check/", payments.bank_transactions, name="bank_transactions"),
    path(
        "payments/to-check/<int:pk>/handled/",
        payments.bank_transaction_handle,
        name="bank_transaction_handle",
    ),
    # Events: the list, one event with its attendees and waiting list, check-in, exports.
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<slug:slug>/", events.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", events.event_edit, name="event_edit"),
    path("events/<slug:slug>/duplicate/", events.event_duplicate, name="event_duplicate"),
    path("events/<slug:slug>/publish/", events.event_publish, name="event_publish"),
    path("events/<slug:slug>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/capacity/", events.event_capacity, name="event_capacity"),
    path("events/<slug:slug>/guest/", events.event_guest, name="event_guest"),
    path("events/<slug:slug>/quotas/", events.event_quota, name="event_quota"),
    path(
        "events/<slug:slug>/quotas/<int:pk>/remove/",
        events.event_quota_remove,
        name="event_quota_remove",
    ),
    path("events/<slug:slug>/allocations/", events.event_allocation, name="event_allocation"),
    path(
        "events/<slug:slug>/allocations/<int:pk>/remove/",
        events.event_allocation_remove,
        name="event_allocation_remove",
    ),
    path("events/<slug:slug>/missions/", events.event_missions, name="event_missions"),
    path(
        "events/<slug:slug>/missions/<int:pk>/",
        events.event_mission_decide,
        name="event_mission_decide",
    ),
    path("events/<slug:slug>/pooling/", events.event_pooling, name="event_pooling"),
    path("events/<slug:slug>/check-in/", events.event_check_in, name="event_check_in"),
    path(
        "events/<slug:slug>/waiting-list/<int:pk>/promote/",
        events.registration_promote,
        name="event_promote",
    ),
    path(
        "events/<slug:slug>/registrations/<int:pk>/",
        events.registration_action,
        name="registration_action",
    ),
    path(
        "events/<slug:slug>/waiting-list/<int:pk>/move/",
        events.waiting_list_move,
        name="event_move",
    ),
    path("events/<slug:slug>/export/", events.event_export, name="event_export"),
    path(
        "events/<slug:slug>/export/<str:job_id>/",
        events.event_export_progress,
        name="event_export_progress",
    ),
    path(
        "events/<slug:slug>/export/<str:job_id>/status/",
        events.event_export_status,
        name="event_export_status",
    ),
    path(
        "events/<slug:slug>/export/<str:job_id>/download/",
        events.event_export_download,
        name="event_export_download",
    ),
    # Members: companies and their memberships, requests to join.
    path("members/", members.member_list, name="members"),
    path("members/new/", members.member_new, name="member_new"),
    path("members/<slug:slug>/", members.member_detail, name="member_detail"),
    path("members/<slug:slug>/edit/", members.member_edit, name="member_edit"),
    path("members/<slug:slug>/people/<int:pk>/", members.person_edit, name="member_person"),
    path("members/<slug:slug>/consents/", members.consent_record, name="member_consent"),
    path("members/<slug:slug>/memberships/new/", members.membership_new, name="membership_new"),
    path(
        "members/<slug:slug>/memberships/<int:pk>/renew/",
        members.membership_renew,
        name="membership_renew",
    ),
    path(
        "members/<slug:slug>/memberships/<int:pk>/lapse/",
        members.membership_lapse,
        name="membership_lapse",
    ),
    path(
        "members/<slug:slug>/memberships/<int:pk>/end/",
        members.membership_end,
        name="membership_end",
    ),
    path(
        "members/<slug:slug>/people/<int:pk>/role/",
        members.person_role,
        name="member_person_role",
    ),
    path(
        "members/<slug:slug>/people/<int:pk>/erase/",
        members.person_erase,
        name="member_person_erase",
    ),
    path(
        "members/<slug:slug>/join-requests/<int:pk>/",
        members.join_request_decide,
        name="member_join_request",
    ),
    # Membership applications: companies asking a chamber to become members.
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/approve/",
        applications.application_approve,
        name="application_approve",
    ),
    path(
        "applications/<int:pk>/decline/",
        applications.application_decline,
        name="application_decline",
    ),
    # Prospects: companies that came to a chamber without being its member.
    path("prospects/", prospects.prospect_list, name="prospects"),
    path("prospects/<int:pk>/convert/", prospects.prospect_convert, name="prospect_convert"),
    # Invoices and credit notes of the user's chambers, their documents, the period's exports.
    path("invoices/", invoices.invoice_list, name="invoices"),
    path("invoices/export.csv", invoices.invoice_export_csv, name="invoice_export_csv"),
    path("invoices/export.zip", invoices.invoice_export_ubl, name="invoice_export_ubl"),
    path("invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/ubl/", invoices.invoice_ubl, name="invoice_ubl"),
    path("invoices/<int:pk>/credit/", invoices.invoice_credit, name="invoice_credit"),
    # Service requests: the competence centres' inbox.
    path("requests/", requests.request_list, name="requests"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/assign/", requests.request_assign, name="request_assign"),
    path("requests/<int:pk>/reply/", requests.request_reply, name="request_reply"),
    path("requests/<int:pk>/note/", requests.request_note, name="request_note"),
    path("requests/<int:pk>/complete/", requests.request_complete, name="request_complete"),
    path("requests/<int:pk>/decline/", requests.request_decline, name="request_decline"),
    # Imports of member companies.
    path("imports/", imports.import_start, name="imports"),
    path("imports/template.csv", imports.import_template, name="import_template"),
    path("imports/<str:job_id>/", imports.import_job, name="import_job"),
    path("imports/<str:job_id>/write/", imports.import_write, name="import_write"),
    path("imports/<str:job_id>/errors.csv", imports.import_errors, name="import_errors"),
    # Figures and partners.
    path("figures/", on_replica(figures.figures_page), name="figures"),
    path("ledger/", on_replica(ledger.ledger_page), name="ledger"),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_new, name="partner_new"),
    path("partners/<slug:slug>/", partners.partner_detail, name="partner_detail"),
    path("partners/<slug:slug>/edit/", partners.partner_edit, name="partner_edit"),
    path(
        "partners/<slug:slug>/agreements/new/", partners.agreement_new, name="partner_agreement_new"
    ),
    path(
        "partners/<slug:slug>/agreements/<int:pk>/",
        partners.agreement_edit,
        name="partner_agreement_edit",
    ),
    path(
        "partners/<slug:slug>/agreements/<int:pk>/end/",
        partners.agreement_end,
        name="partner_agreement_end",
    ),
    path("partners/<slug:slug>/keys/", partners.api_key_create, name="partner_key_create"),
    path(
        "partners/<slug:slug>/keys/<str:prefix>/rotate/",
        partners.api_key_rotate,
        name="partner_key_rotate",
    ),
    path(
        "partners/<slug:slug>/keys/<str:prefix>/revoke/",
        partners.api_key_revoke,
        name="partner_key_revoke",
    ),
    # The federation's accreditation of chambers: cycles, self-assessments, review, decision.
    path("accreditation/", accreditation.cycle_list, name="accreditation_cycles"),
    path("accreditation/new/", accreditation.cycle_new, name="accreditation_cycle_new"),
    path("accreditation/<int:pk>/", accreditation.cycle_detail, name="accreditation_cycle"),
    path(
        "accreditation/<int:pk>/answers/<int:answer_pk>/",
        accreditation.answer_save,
        name="accreditation_answer",
    ),
    path(
        "accreditation/<int:pk>/answers/<int:answer_pk>/review/",
        accreditation.answer_review,
        name="accreditation_review",
    ),
    path(
        "accreditation/<int:pk>/evidence/<int:evidence_pk>/",
        accreditation.evidence_download,
        name="accreditation_evidence",
    ),
    path(
        "accreditation/<int:pk>/evidence/<int:evidence_pk>/remove/",
        accreditation.evidence_remove,
        name="accreditation_evidence_remove",
    ),
    path("accreditation/<int:pk>/submit/", accreditation.cycle_submit, name="accreditation_submit"),
    path(
        "accreditation/<int:pk>/more-evidence/",
        accreditation.more_evidence,
        name="accreditation_more_evidence",
    ),
    path("accreditation/<int:pk>/decide/", accreditation.cycle_decide, name="accreditation_decide"),
    path(
        "accreditation/<int:pk>/report.pdf", accreditation.cycle_report, name="accreditation_report"
    ),
    # A chamber's team: its staff and their roles.
    path("team/", team.team_list, name="team"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/<str:slug>/", audit.audit_detail, name="audit_detail"),
    path("team/add/", team.team_add, name="team_add"),
    path("team/<int:pk>/", team.team_change, name="team_change"),
    path("team/<int:pk>/remove/", team.team_remove, name="team_remove"),
    # A chamber's own page and the competence centres it leads, with their services.
    path("chambers/", chambers.chamber_list, name="chambers"),
    path("chambers/<slug:slug>/", chambers.chamber_edit, name="chamber_edit"),
    path("centres/new/", chambers.centre_new, name="centre_new"),
    path("centres/<slug:slug>/", chambers.centre_edit, name="centre_edit"),
    path("centres/<slug:slug>/services/new/", chambers.service_new, name="service_new"),
    path("centres/<slug:slug>/services/<int:pk>/", chambers.service_edit, name="service_edit"),
]
