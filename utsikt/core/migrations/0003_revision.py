from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0002_event_log")]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                ("key", models.CharField(max_length=32)),
            ],
        ),
    ]
