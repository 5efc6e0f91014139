"""Finance's list reads each department's applications in order of start along this index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0005_application_saved_by_page"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["department", "start"], name="application_dept_start_idx"),
        ),
    ]
