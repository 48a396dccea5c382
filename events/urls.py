from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("agenda.ics", views.event_list_calendar, name="list_ics"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/agenda.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/inschrijven/", views.register, name="register"),
    path("<slug:slug>/annuleren/", views.cancel, name="cancel"),
]
