"""The page frame every page shares: look, language switcher, static files, 404."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_home_page_renders_in_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Alliantie van Kamers van Koophandel" in html
    assert 'name="language"' in html


@pytest.mark.django_db
def test_language_switcher_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html


def test_css_is_served_by_the_project_itself():
    """No CDN: the stylesheet is one of our static files."""
    assert finders.find("css/portal.css")


@pytest.mark.django_db
def test_unknown_address_is_a_404_in_the_portal_look(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.django_db
def test_header_names_the_chambers(client, mechelen, kempen):
    html = client.get("/").content.decode()
    assert "Voka – KvK Mechelen" in html and "chip--blue" in html
    assert ">Kempen<" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/bestaat-niet/", "/events/bestaat-niet/"])
def test_in_development_a_stale_link_shows_the_portals_404_too(settings, url):
    from django.test import Client

    settings.DEBUG = True
    response = Client().get(url)  # a new client loads the middleware with DEBUG on
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet" in html and "URLconf" not in html


@pytest.mark.django_db
def test_in_development_the_api_keeps_its_own_404(settings):
    from django.test import Client

    settings.DEBUG = True
    response = Client().get("/api/v1/events/bestaat-niet/")
    assert response.status_code in (401, 403, 404)
    assert "Deze pagina bestaat niet" not in response.content.decode()


@pytest.mark.parametrize(
    "language, shown", [("nl", "4.468 leden gevonden"), ("en", "4,468 members found")]
)
def test_counts_carry_thousands_separators(language, shown):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string(
            "members/_directory_results.html", {"paginator": Paginator(range(4468), 20)}
        )
    assert shown in " ".join(html.split())
