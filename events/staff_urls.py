"""The events part of the back-office (mounted at /staff/events/ in the "staff" namespace)."""

from django.urls import path

from events import staff_views as views

urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_new, name="event_new"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/duplicate/", views.event_duplicate, name="event_duplicate"),
    path("<slug:slug>/publish/", views.event_publish, name="event_publish"),
    path("<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("<slug:slug>/capacity/", views.event_capacity, name="event_capacity"),
    path("<slug:slug>/guest/", views.event_guest, name="event_guest"),
    path("<slug:slug>/check-in/", views.event_check_in, name="event_check_in"),
    path(
        "<slug:slug>/waiting-list/<int:pk>/promote/",
        views.registration_promote,
        name="event_promote",
    ),
    path("<slug:slug>/waiting-list/<int:pk>/move/", views.waiting_list_move, name="event_move"),
    path("<slug:slug>/export/", views.event_export, name="event_export"),
    path(
        "<slug:slug>/export/<str:job_id>/",
        views.event_export_progress,
        name="event_export_progress",
    ),
    path(
        "<slug:slug>/export/<str:job_id>/status/",
        views.event_export_status,
        name="event_export_status",
    ),
    path(
        "<slug:slug>/export/<str:job_id>/download/",
        views.event_export_download,
        name="event_export_download",
    ),
]
