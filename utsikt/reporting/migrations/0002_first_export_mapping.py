"""The first EU export mapping, from the documented Beneficiary Module fields (kept as
data: a later template gets a new version, and this one stays)."""

from typing import Any

from django.db import migrations

FIRST_MAPPING: dict[str, Any] = {'version': 'KA131-2024-11',
 'valid_from': '2024-11-06',
 'note': "From the documented BM fields; replace with the downloaded template's headers.",
 'columns': [{'header': 'Mobility Activity ID', 'source': 'mobility_id', 'required': True},
             {'header': 'Grant Agreement No.',
              'source': 'grant_agreement_number',
              'required': True},
             {'header': 'Activity Type', 'value': 'HE-STT', 'required': True},
             {'header': 'Participant First Name', 'source': 'first_name', 'required': True},
             {'header': 'Participant Last Name', 'source': 'last_name', 'required': True},
             {'header': 'Participant Email', 'source': 'email', 'required': True},
             {'header': 'Sending Organisation OID', 'source': 'sending_oid', 'required': True},
             {'header': 'Receiving Organisation OID',
              'source': 'receiving_oid',
              'required': True},
             {'header': 'Receiving Organisation Name',
              'source': 'receiving_name',
              'required': False},
             {'header': 'Receiving Country', 'source': 'receiving_country', 'required': True},
             {'header': 'Receiving City', 'source': 'receiving_city', 'required': True},
             {'header': 'Start Date', 'source': 'start', 'required': True},
             {'header': 'End Date', 'source': 'end', 'required': True},
             {'header': 'Duration (days)', 'source': 'duration_days', 'required': True},
             {'header': 'Funded Travel Days', 'source': 'travel_days', 'required': False},
             {'header': 'Green Travel', 'source': 'green_travel', 'required': True},
             {'header': 'Blended Mobility', 'source': 'blended', 'required': True},
             {'header': 'Participant With Fewer Opportunities',
              'value': 'No',
              'required': False}]}


def add_first_mapping(apps: Any, schema_editor: Any) -> None:
    mapping = apps.get_model("reporting", "ExportMapping")
    mapping.objects.get_or_create(
        version=FIRST_MAPPING["version"],
        defaults={
            "valid_from": FIRST_MAPPING["valid_from"],
            "note": FIRST_MAPPING["note"],
            "columns": FIRST_MAPPING["columns"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_export_mapping_and_projects")]

    operations = [migrations.RunPython(add_first_mapping, migrations.RunPython.noop)]
