"""A covering index for the dashboard's counts (reporting.dashboard).

Each chart counts the mobilities of an office's scope (~60,000 of 100,000) by one column:
activity, month of the start, the traveller (for the staff category), first time, travel
mode, virtual part. Read through (department, status) alone, each counted mobility costs a
look-up of its wide row; with these columns in the index the counts are read from the index.
Plain SQL, as in 0003, so that the mobility models' state is unchanged.
"""

from django.db import migrations

NAME = "dashboard_application_idx"
COLUMNS = (
    "department_id, status, activity, start, applicant_id, first_time, travel_mode, virtual_start"
)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_ledger_covering_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{NAME}" ON "mobility_application" ({COLUMNS})',
            reverse_sql=f'DROP INDEX "{NAME}"',
        )
    ]
