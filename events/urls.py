from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("agenda.ics", views.event_list_calendar, name="list_ics"),
    # A place offered from the waiting list ("aanbod" is no event's slug: RESERVED_SLUGS).
    path("aanbod/<str:code>/", views.offer, name="offer"),
    path("aanbod/<str:code>/aanvaarden/", views.offer_accept, name="offer_accept"),
    path("aanbod/<str:code>/weigeren/", views.offer_decline, name="offer_decline"),
    # The ticket by the e-mail's link ("ticket" is no event's slug either).
    path("ticket/<str:code>/", views.ticket, name="ticket"),
    # The follow-up of an accepted mission application ("missie" is no event's slug either).
    path("missie/<int:pk>/opvolging/", views.mission_follow_up, name="mission_follow_up"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/agenda.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/inschrijven/", views.register, name="register"),
    path("<slug:slug>/inschrijven-niet-lid/", views.register_prospect, name="register_prospect"),
    path("<slug:slug>/annuleren/", views.cancel, name="cancel"),
    path("<slug:slug>/collega/", views.substitute, name="substitute"),
    path("<slug:slug>/boeken/", views.book, name="book"),
    path("<slug:slug>/kandidaat/", views.mission_apply, name="mission_apply"),
]
