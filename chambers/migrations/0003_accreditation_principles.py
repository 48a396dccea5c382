from django.db import migrations

# The federation's twelve principles for local chambers: (number, nl, fr, en).
PRINCIPLES = [
    (1, "Lidmaatschap", "Affiliation", "Membership"),
    (2, "Politieke neutraliteit", "Neutralité politique", "Political neutrality"),
    (3, "Economisch partner", "Partenaire économique", "Economic partner"),
    (4, "Kerntaken van een Kamer", "Missions essentielles d'une Chambre", "Core tasks of a chamber"),
    (5, "Financiële stabiliteit", "Stabilité financière", "Financial stability"),
    (6, "Onafhankelijkheid", "Indépendance", "Independence"),
    (7, "Corporate governance", "Gouvernance d'entreprise", "Corporate governance"),
    (
        8,
        "Benaming “Kamer van Koophandel” uitbouwen tot sterk merk",
        "Faire de l'appellation « Chambre de Commerce » une marque forte",
        "Building the name “Chamber of Commerce” into a strong brand",
    ),
    (
        9,
        "Territorialiteit en samenwerking met andere Kamers",
        "Territorialité et coopération avec les autres Chambres",
        "Territoriality and cooperation with other chambers",
    ),
    (
        10,
        "Maatschappelijk verantwoord ondernemen",
        "Responsabilité sociétale des entreprises",
        "Corporate social responsibility",
    ),
    (11, "Communicatie", "Communication", "Communication"),
    (12, "Interne kwaliteitsbewaking", "Contrôle interne de la qualité", "Internal quality monitoring"),
]


def create_principles(apps, schema_editor):
    Principle = apps.get_model("chambers", "AccreditationPrinciple")
    for number, nl, fr, en in PRINCIPLES:
        Principle.objects.update_or_create(
            number=number,
            defaults={"name": nl, "name_nl": nl, "name_fr": fr, "name_en": en},
        )


def remove_principles(apps, schema_editor):
    apps.get_model("chambers", "AccreditationPrinciple").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("chambers", "0002_extensions")]

    operations = [migrations.RunPython(create_principles, remove_principles)]
