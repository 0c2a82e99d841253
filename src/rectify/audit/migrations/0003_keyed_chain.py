"""Key the audit chain: re-seal an existing unkeyed chain with the HMAC key (see rectify.audit.legacy).

An event's actor can no longer be deleted (the actor's id is part of the sealed event)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rekey(apps, schema_editor):
    from rectify.audit.legacy import rekey as rekey_chain

    rekey_chain(apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "AuditHead"),
                schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    to=settings.AUTH_USER_MODEL, verbose_name="操作人"),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop, elidable=False),
    ]
