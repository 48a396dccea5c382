"""The accreditation report (staff:accreditation_report): a PDF rendered by WeasyPrint, in the
chamber's language, with every principle, the chamber's explanations, the figures and the
decision. Its text is read back with pypdf."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from alliance.staff.accreditation import report_pdf
from chambers import accreditation
from chambers.models import AccreditationPrinciple, StaffRole
from tests.factories import staff_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def reviewer(db):
    return staff_user(StaffRole.Role.FEDERATION_REVIEWER, first_name="Fien", last_name="Federatie")


def decided(chamber, chamber_admin, reviewer):
    today = timezone.localdate()
    cycle = accreditation.accreditation_cycle_open(
        chamber=chamber,
        self_assessment_due=today + datetime.timedelta(days=30),
        decision_due=today + datetime.timedelta(days=60),
        actor=reviewer,
    )
    for answer in cycle.answers.select_related("principle"):
        accreditation.accreditation_answer_save(
            answer=answer,
            status="meets",
            explanation=f"Uitleg nummer {answer.principle.number} van de kamer",
            actor=chamber_admin,
        )
    accreditation.accreditation_cycle_submit(cycle=cycle, actor=chamber_admin)
    return accreditation.accreditation_cycle_decide(
        cycle=cycle,
        decision="granted_with_conditions",
        conditions="Een kwaliteitshandboek binnen het jaar.",
        comment="Degelijk dossier.",
        valid_from=today,
        valid_until=today.replace(year=today.year + 3),
        actor=reviewer,
    )


def test_the_report_renders_every_principle_its_explanation_and_the_decision(
    kempen, chamber_admin, reviewer
):
    cycle = decided(kempen, chamber_admin, reviewer)
    response = client_for(chamber_admin).get(reverse("staff:accreditation_report", args=[cycle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = text_of(response.content)
    for principle in AccreditationPrinciple.objects.filter(chamber_kind="local"):
        assert f"{principle.number}. {principle.name_nl}" in text, principle
        assert f"Uitleg nummer {principle.number} van de kamer" in text
    assert "Toegekend onder voorwaarden" in text
    assert "Een kwaliteitshandboek binnen het jaar." in text
    # The figures, with how they were computed.
    assert "Leden en hun verloop" in text and "Antwoordtijd op vragen" in text
    assert "Zo berekend:" in text


def test_the_report_is_in_the_chambers_language(kempen, chamber_admin, reviewer):
    kempen.language = "fr"
    kempen.save()
    cycle = decided(kempen, chamber_admin, reviewer)
    with translation.override("nl"):
        text = text_of(report_pdf(cycle))
    for principle in AccreditationPrinciple.objects.filter(chamber_kind="local"):
        assert f"{principle.number}. {principle.name_fr}" in text, principle
    assert "Accordé sous conditions" in text and "Mode de calcul :" in text
