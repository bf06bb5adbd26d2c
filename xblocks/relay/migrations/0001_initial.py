# The relay app's first migration: its tables come in the ones that follow.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [("learning_citizen_ledger", "0004_idempotency_key_exact")]
    operations = []
