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
