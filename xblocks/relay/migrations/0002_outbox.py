# The producing side's tables: each chain's published position, and the reconciliation's re-sends.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("learning_citizen_relay", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ChainCursor",
            fields=[
                ("chain", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("published_position", models.BigIntegerField(
                    default=0, help_text="the last position of this chain published to the event bus")),
                ("published_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "relay chain cursor"},
        ),
        migrations.CreateModel(
            name="Resend",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField(help_text="id of the local ledger entry", unique=True)),
                ("requested_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "entry to re-send", "verbose_name_plural": "entries to re-send"},
        ),
    ]
