"""The public pages of the top floor: home, search, competence centres, chambers.

The centres' and chambers' pages keep their own namespaces ("competences", "chambers"); they
live here because they show events and write service requests, which sit above those apps.
"""

from django.urls import path

from alliance.public import centres, chambers, views

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("", views.HomeView.as_view(), name="home"),
]

centre_urls = (
    [
        path("", centres.CentreListView.as_view(), name="list"),
        path("<slug:slug>/", centres.CentreDetailView.as_view(), name="detail"),
        path("<slug:slug>/vraag/", centres.CentreAskView.as_view(), name="ask"),
    ],
    "competences",
)

chamber_urls = (
    [path("<slug:slug>/", chambers.ChamberDetailView.as_view(), name="detail")],
    "chambers",
)
