"""The member's own pages: /me/ and below.

On the top floor because they show events (registrations, tickets, the calendar feed)
beside the member's company, and members may not import events.
"""

from django.urls import path

from alliance.me import invoices, payments
from alliance.me import views as me
from members.views import apply, join

app_name = "me"

urlpatterns = [
    path("", me.home, name="home"),
    path("join/", join.join, name="join"),
    path("apply/", apply.apply, name="apply"),
    path("tickets/<str:ticket_code>/", me.ticket, name="ticket"),
    path("agenda/", me.calendar_page, name="calendar"),
    path("agenda/renew/", me.calendar_renew, name="calendar_renew"),
    path("agenda/revoke/", me.calendar_revoke, name="calendar_revoke"),
    path("agenda/<str:token>.ics", me.calendar_feed, name="calendar_feed"),
    path("company/", me.company, name="company"),
    path("company/edit/", me.company_edit, name="company_edit"),
    path("company/consent/", me.company_consent, name="company_consent"),
    path("company/data.json", me.company_data, name="company_data"),
    path("company/people/<int:pk>/", me.company_person, name="company_person"),
    path("company/requests/<int:pk>/", join.join_request, name="join_request"),
    path("service-requests/", me.service_requests, name="service_requests"),
    path("invoices/", invoices.invoices, name="invoices"),
    path("invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/ubl/", invoices.invoice_ubl, name="invoice_ubl"),
    path("interests/", me.interests, name="interests"),
    path("data.json", me.personal_data, name="personal_data"),
    path("invoices/<int:pk>/pay/", payments.invoice_pay, name="invoice_pay"),
    path("payments/<int:pk>/", payments.payment_return, name="payment_return"),
]
