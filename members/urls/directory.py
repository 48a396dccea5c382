from django.urls import path

from alliance.base.views import not_built_yet

app_name = "directory"

urlpatterns = [
    path("", not_built_yet, name="list"),
]
