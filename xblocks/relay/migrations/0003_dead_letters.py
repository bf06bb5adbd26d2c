# The credit consumer's dead letters (depends on 0001_initial; the outbox's migrations are 0002_...).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('learning_citizen_relay', '0002_outbox'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeadLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stream', models.CharField(max_length=255)),
                ('message_id', models.CharField(max_length=64)),
                ('group', models.CharField(blank=True, max_length=255)),
                ('consumer', models.CharField(blank=True, max_length=255)),
                ('event_type', models.CharField(blank=True, max_length=255)),
                ('event_id', models.CharField(blank=True, max_length=64)),
                ('idempotency_key', models.CharField(blank=True, max_length=200)),
                ('fields', models.JSONField(default=dict)),
                ('kind', models.CharField(choices=[('invalid', 'invalid credit'), ('key_conflict', 'idempotency key reused for another credit'), ('undecodable', 'undecodable message'), ('failed', 'failed after every try')], max_length=20)),
                ('reason', models.TextField()),
                ('attempts', models.PositiveIntegerField(default=1)),
                ('parked_at', models.DateTimeField()),
                ('status', models.CharField(choices=[('parked', 'parked'), ('redriven', 're-driven')], default='parked', max_length=20)),
                ('redriven_at', models.DateTimeField(blank=True, null=True)),
                ('ledger_entry_id', models.BigIntegerField(blank=True, null=True)),
            ],
            options={
                'ordering': ['parked_at', 'id'],
                'indexes': [models.Index(fields=['status', 'parked_at'], name='lc_relay_dead_letter_status')],
                'constraints': [models.UniqueConstraint(fields=('stream', 'message_id'), name='lc_relay_dead_letter_message')],
            },
        ),
    ]
