from django.db import migrations, models

# The three pillars bilateral chambers abroad are accredited on: (number, nl, fr, en).
PILLARS = [
    (1, "Corporate governance", "Gouvernance d'entreprise", "Corporate governance"),
    (2, "Kwalitatieve dienstverlening", "Services de qualité", "Quality of service"),
    (
        3,
        "Constructieve samenwerking met de diplomatieke posten",
        "Coopération constructive avec les postes diplomatiques",
        "Constructive cooperation with the diplomatic posts",
    ),
]


def create_pillars(apps, schema_editor):
    Principle = apps.get_model("chambers", "AccreditationPrinciple")
    for number, nl, fr, en in PILLARS:
        Principle.objects.update_or_create(
            chamber_kind="bilateral",
            number=number,
            defaults={"name": nl, "name_nl": nl, "name_fr": fr, "name_en": en},
        )


def remove_pillars(apps, schema_editor):
    apps.get_model("chambers", "AccreditationPrinciple").objects.filter(
        chamber_kind="bilateral"
    ).delete()


# A decided cycle holds still, whoever writes (a service, the admin, a script): the services
# refuse first with a message; these triggers are the floor under them.
GUARDS = """
CREATE FUNCTION accreditation_cycle_decided_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'decided' THEN
        RAISE EXCEPTION 'accreditation cycle % is decided and cannot change', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER accreditation_cycle_decided_guard
BEFORE UPDATE ON chambers_accreditationcycle
FOR EACH ROW EXECUTE FUNCTION accreditation_cycle_decided_guard();

CREATE FUNCTION accreditation_answer_decided_guard() RETURNS trigger AS $$
DECLARE
    answer_cycle integer;
BEGIN
    answer_cycle := CASE WHEN TG_OP = 'DELETE' THEN OLD.cycle_id ELSE NEW.cycle_id END;
    IF EXISTS (SELECT 1 FROM chambers_accreditationcycle
               WHERE id = answer_cycle AND status = 'decided') THEN
        RAISE EXCEPTION 'accreditation cycle % is decided: its answers cannot change', answer_cycle
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER accreditation_answer_decided_guard
BEFORE INSERT OR UPDATE ON chambers_accreditationanswer
FOR EACH ROW EXECUTE FUNCTION accreditation_answer_decided_guard();

CREATE FUNCTION accreditation_evidence_decided_guard() RETURNS trigger AS $$
DECLARE
    evidence_answer integer;
BEGIN
    evidence_answer := CASE WHEN TG_OP = 'DELETE' THEN OLD.answer_id ELSE NEW.answer_id END;
    IF EXISTS (SELECT 1 FROM chambers_accreditationanswer a
               JOIN chambers_accreditationcycle c ON c.id = a.cycle_id
               WHERE a.id = evidence_answer AND c.status = 'decided') THEN
        RAISE EXCEPTION 'accreditation cycle is decided: its evidence cannot change'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER accreditation_evidence_decided_guard
BEFORE INSERT OR UPDATE ON chambers_accreditationevidence
FOR EACH ROW EXECUTE FUNCTION accreditation_evidence_decided_guard();
"""

DROP_GUARDS = """
DROP TRIGGER IF EXISTS accreditation_evidence_decided_guard ON chambers_accreditationevidence;
DROP TRIGGER IF EXISTS accreditation_answer_decided_guard ON chambers_accreditationanswer;
DROP TRIGGER IF EXISTS accreditation_cycle_decided_guard ON chambers_accreditationcycle;
DROP FUNCTION IF EXISTS accreditation_evidence_decided_guard();
DROP FUNCTION IF EXISTS accreditation_answer_decided_guard();
DROP FUNCTION IF EXISTS accreditation_cycle_decided_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("chambers", "0016_accreditation_cycles")]

    operations = [
        migrations.AddField(
            model_name="chamber",
            name="language",
            field=models.CharField(
                choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")],
                default="nl",
                max_length=5,
                verbose_name="taal",
            ),
        ),
        migrations.RunPython(create_pillars, remove_pillars),
        migrations.RunSQL(GUARDS, DROP_GUARDS),
    ]
