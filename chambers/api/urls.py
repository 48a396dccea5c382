from django.urls import path
from rest_framework.routers import SimpleRouter

from chambers.api import views

router = SimpleRouter()
router.register("chambers", views.ChamberViewSet, basename="chamber")
router.register("alliances", views.AllianceViewSet, basename="alliance")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("calls", views.ApiCallViewSet, basename="call")
router.register("webhook-endpoints", views.WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
