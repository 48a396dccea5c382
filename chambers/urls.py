from django.urls import path

from alliance.base.views import not_built_yet

app_name = "chambers"

urlpatterns = [
    path("<slug:slug>/", not_built_yet, name="detail"),
]
