"""The members part of the back-office (mounted at /staff/ in the "staff" namespace)."""

from django.urls import path

from members import staff_views as views

urlpatterns = [
    path("members/", views.member_list, name="members"),
    path("members/new/", views.member_new, name="member_new"),
    path("members/<slug:slug>/", views.member_detail, name="member_detail"),
    path("members/<slug:slug>/memberships/new/", views.membership_new, name="membership_new"),
    path(
        "members/<slug:slug>/memberships/<int:pk>/renew/",
        views.membership_renew,
        name="membership_renew",
    ),
    path(
        "members/<slug:slug>/memberships/<int:pk>/lapse/",
        views.membership_lapse,
        name="membership_lapse",
    ),
    path(
        "members/<slug:slug>/memberships/<int:pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "members/<slug:slug>/join-requests/<int:pk>/",
        views.join_request_decide,
        name="member_join_request",
    ),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/assign/", views.request_assign, name="request_assign"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request_reply"),
    path("requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("imports/", views.import_start, name="imports"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<str:job_id>/", views.import_job, name="import_job"),
    path("imports/<str:job_id>/write/", views.import_write, name="import_write"),
    path("imports/<str:job_id>/errors.csv", views.import_errors, name="import_errors"),
]
