"""A chamber's own page and its competence centres and services, edited in the back-office.

Through chambers.services.chamber_page_update and competences.services: a chamber admin edits
their own chamber and the centres it leads, in three languages; another chamber's are a 404;
a deactivated centre leaves the public pages and the API with its services.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from alliance.base.models import DomainError
from chambers import services as chamber_services
from competences import services as centre_services
from competences.models import CompetenceCentre, Service
from tests.factories import ServiceFactory, partner_api_key
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

PAGE = {
    "region_nl": "Kempen en Turnhout",
    "region_fr": "Campine et Turnhout",
    "region_en": "Campine and Turnhout",
    "email": "info@kempen.example",
    "phone": "014 56 30 30",
    "website": "https://kempen.example",
}


def centre_data(**extra):
    return {
        "name_nl": "Duurzaam ondernemen",
        "name_fr": "Entreprendre durablement",
        "name_en": "Sustainable business",
        "description_nl": "Hulp bij de energietransitie.",
        "description_fr": "",
        "description_en": "Help with the energy transition.",
        "email": "duurzaam@kempen.example",
        "is_active": "on",
    } | extra


def test_a_chamber_admin_edits_their_chambers_page_in_three_languages(
    chamber_admin, this_chamber, client
):
    admin = client_for(chamber_admin)
    edit = reverse("staff:chamber_edit", args=[this_chamber.slug])
    assert admin.get(reverse("staff:chambers")).status_code == 200
    assert admin.get(edit).status_code == 200

    response = admin.post(edit, PAGE)

    assert response.status_code == 302 and response["Location"] == reverse("staff:chambers")
    this_chamber.refresh_from_db()
    assert (this_chamber.region_fr, this_chamber.phone) == ("Campine et Turnhout", "014 56 30 30")
    public = reverse("chambers:detail", args=[this_chamber.slug])
    for language, region in (("nl", "Kempen en Turnhout"), ("fr", "Campine et Turnhout")):
        with translation.override(language):
            page = client.get(public, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert region in page and "https://kempen.example" in page


def test_a_bad_website_is_refused_with_its_message_and_nothing_changes(chamber_admin, this_chamber):
    before = this_chamber.website
    response = client_for(chamber_admin).post(
        reverse("staff:chamber_edit", args=[this_chamber.slug]), PAGE | {"website": "ftp://x"}
    )

    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
    this_chamber.refresh_from_db()
    assert this_chamber.website == before


def test_another_chambers_page_is_a_404_and_its_service_refuses(other_chamber_admin, this_chamber):
    response = client_for(other_chamber_admin).post(
        reverse("staff:chamber_edit", args=[this_chamber.slug]), PAGE
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        chamber_services.chamber_page_update(
            chamber=this_chamber, data=PAGE, actor=other_chamber_admin
        )


def test_a_viewer_and_an_event_manager_do_not_edit_the_page(viewer, event_manager, this_chamber):
    for user in (viewer, event_manager):
        assert client_for(user).get(reverse("staff:chambers")).status_code == 403


def test_a_chamber_admin_creates_a_centre_and_its_service_and_members_see_them(
    chamber_admin, this_chamber, alliance, client
):
    admin = client_for(chamber_admin)
    response = admin.post(
        reverse("staff:centre_new"),
        centre_data(lead_chamber=this_chamber.pk, alliance=alliance.pk),
    )

    centre = CompetenceCentre.objects.get(name_nl="Duurzaam ondernemen")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:centre_edit", args=[centre.slug])
    assert (centre.slug, centre.lead_chamber, centre.name_en) == (
        "duurzaam-ondernemen",
        this_chamber,
        "Sustainable business",
    )

    response = admin.post(
        reverse("staff:service_new", args=[centre.slug]),
        {
            "name_nl": "Energiescan",
            "name_fr": "Scan énergétique",
            "name_en": "Energy scan",
            "kind": Service.Kind.ADVICE,
            "audience": Service.Audience.MEMBERS,
            "description_nl": "Een halve dag ter plaatse.",
            "price_note_nl": "Gratis voor leden",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    service = centre.services.get()
    assert (service.slug, service.name_fr) == ("energiescan", "Scan énergétique")
    page = client.get(reverse("competences:detail", args=[centre.slug])).content.decode()
    assert "Duurzaam ondernemen" in page and "Energiescan" in page


def test_a_deactivated_centre_leaves_the_public_pages_and_the_api(chamber_admin, centre, client):
    ServiceFactory(centre=centre, name="Innovatiescan")
    response = client_for(chamber_admin).post(
        reverse("staff:centre_edit", args=[centre.slug]),
        centre_data(name_nl=centre.name_nl) | {"is_active": ""},
    )

    assert response.status_code == 302
    centre.refresh_from_db()
    assert not centre.is_active
    assert client.get(reverse("competences:detail", args=[centre.slug])).status_code == 404
    assert centre.name not in client.get(reverse("competences:list")).content.decode()
    assert (
        centre.name
        not in client.get(
            reverse("chambers:detail", args=[centre.lead_chamber.slug])
        ).content.decode()
    )
    assert centre.services.exists() and not Service.objects.active().filter(centre=centre)
    _key_row, key = partner_api_key()
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    centres = partner.get(reverse("api:competence-centre-list")).json()["results"]
    services = partner.get(reverse("api:service-list")).json()["results"]
    assert centre.slug not in [row["slug"] for row in centres]
    assert "Innovatiescan" not in [row["name"] for row in services]


def test_a_centre_name_taken_in_the_alliance_is_refused_next_to_the_name(
    chamber_admin, centre, this_chamber, alliance
):
    response = client_for(chamber_admin).post(
        reverse("staff:centre_new"),
        centre_data(name_nl=centre.name_nl, lead_chamber=this_chamber.pk, alliance=alliance.pk),
    )

    assert response.status_code == 400
    assert "bestaat al een competentiecentrum" in response.content.decode()
    assert CompetenceCentre.objects.filter(name_nl=centre.name_nl).count() == 1


def test_another_chambers_centre_is_a_404_and_not_a_choice_for_a_new_one(
    other_chamber_admin, centre, this_chamber, alliance
):
    other = client_for(other_chamber_admin)
    assert other.get(reverse("staff:centre_edit", args=[centre.slug])).status_code == 404
    response = other.post(
        reverse("staff:centre_new"),
        centre_data(lead_chamber=this_chamber.pk, alliance=alliance.pk),
    )
    assert response.status_code == 400
    assert not CompetenceCentre.objects.filter(name_nl="Duurzaam ondernemen").exists()
    with pytest.raises(PermissionDenied):
        centre_services.centre_update(centre=centre, data={}, actor=other_chamber_admin)


def test_a_lead_chamber_outside_the_alliance_is_refused(alliance_admin, limburg, alliance):
    with pytest.raises(DomainError) as refused:
        centre_services.centre_create(
            lead_chamber=limburg, alliance=alliance, data=centre_data(), actor=alliance_admin
        )
    assert refused.value.field == "alliance"
