"""/payments/: what the payment provider calls (docs/payments.md)."""

from django.urls import path

from invoicing.payments import views

app_name = "payments"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
]
