"""Covering indexes for the ledger's sums (reporting.ledger).

The ledger adds, per department, each granted mobility's grant, actual cost and
reimbursement. Without these, every one of the ~32,000 mobilities in an office's scope costs
a look-up in each money table's unique index and then one in the table itself for the amount;
with them the amounts are read from the indexes alone (SQLite's "USING COVERING INDEX",
PostgreSQL's index-only scan).

They index the mobility app's tables, but belong to the ledger that reads them, so they are
plain SQL here and leave the mobility models' state as it is (`makemigrations` sees nothing
to do). The statements are the same on SQLite and PostgreSQL.
"""

from django.db import migrations

INDEXES = [
    ("ledger_allocation_idx", "mobility_allocation", "application_id, amount_eur"),
    ("ledger_homecoming_idx", "mobility_homecoming", "application_id, grant_after_dates_eur"),
    ("ledger_actualcost_idx", "mobility_actualcost", "application_id, amount_sek"),
    (
        "ledger_reimbursement_idx",
        "mobility_reimbursement",
        "application_id, amount_eur, amount_sek, paid_on",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_first_export_mapping"),
        ("mobility", "0007_after_the_trip"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{name}" ON "{table}" ({columns})',
            reverse_sql=f'DROP INDEX "{name}"',
        )
        for name, table, columns in INDEXES
    ]
