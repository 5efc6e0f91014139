# The record of e-mails sent moves to core.OutgoingEmail; the keys of the e-mails already
# sent come along, so that nothing sent before the move is sent again after it.

from django.db import migrations


def copy_sent_keys(apps, schema_editor):
    Notification = apps.get_model("mobility", "Notification")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    rows = Notification.objects.select_related("transition", "recipient")
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                key=(
                    f"mobility.{row.kind}.{row.transition_id}.{row.transition.application_id}"
                    f".{row.recipient_id}"
                    if row.kind.startswith("reminder-")
                    else f"mobility.transition.{row.transition_id}.{row.kind}.{row.recipient_id}"
                ),
                to=row.recipient.email,
                subject="",
                text="",
                created_at=row.sent_at,
                sent_at=row.sent_at,
                attempts=1,
            )
            for row in rows.iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_outgoing_email"),
        ("mobility", "0002_travel_dates"),
    ]

    operations = [
        migrations.RunPython(copy_sent_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="notification", name="notification_once"),
        migrations.DeleteModel(name="Notification"),
    ]
