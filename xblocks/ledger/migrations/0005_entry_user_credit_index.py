"""An index covering the progress report's per-learner sums (issue 15)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('learning_citizen_ledger', '0004_idempotency_key_exact'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(fields=['user_id', 'period', 'framework_id', 'indicator', 'source_kind', 'points'],
                               name='lc_entry_user_credit'),
        ),
    ]
