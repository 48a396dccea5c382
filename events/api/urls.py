from django.urls import re_path
from rest_framework.routers import SimpleRouter

from alliance.base.api.views import ID_REGEX, SLUG_REGEX
from events.api import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")

registrations = views.RegistrationViewSet

urlpatterns = [
    *router.urls,
    re_path(
        rf"^events/(?P<event_slug>{SLUG_REGEX})/registrations/$",
        registrations.as_view({"get": "list", "post": "create"}),
        name="event-registration-list",
    ),
    re_path(
        rf"^events/(?P<event_slug>{SLUG_REGEX})/registrations/(?P<pk>{ID_REGEX})/$",
        registrations.as_view({"get": "retrieve"}),
        name="event-registration-detail",
    ),
    re_path(
        rf"^events/(?P<event_slug>{SLUG_REGEX})/registrations/(?P<pk>{ID_REGEX})/cancel/$",
        registrations.as_view({"post": "cancel"}),
        name="event-registration-cancel",
    ),
]
