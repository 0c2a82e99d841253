"""A chain per unit: each event chains to the previous event of its own unit's chain (its own head row
locked), events of no unit to the system chain, so writes of different units no longer wait for each
other. The single chain so far stays as it was sealed; the system chain's first event continues it and
states its head (see rectify.audit.legacy.split)."""

from django.db import migrations, models


def split(apps, schema_editor):
    from rectify.audit.legacy import split as split_chain

    split_chain(apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "AuditHead"),
                schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [("audit", "0004_append_only_on_postgresql")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="审计链"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="链内序号"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.BigIntegerField(blank=True, null=True, unique=True, verbose_name="审计链"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_auditevent_chain_seq_unique"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("chain__isnull", True), ("seq__isnull", True))
                | models.Q(("chain", 0), ("seq__gte", 1), ("unit_id__isnull", True))
                | models.Q(("chain", models.F("unit_id")), ("seq__gte", 1)),
                name="audit_auditevent_chain_of_its_unit",
            ),
        ),
        migrations.RunPython(split, migrations.RunPython.noop, elidable=False),
    ]
