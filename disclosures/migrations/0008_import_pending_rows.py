from django.db import migrations, models

from search.token_index import update_trigger_operation


def add_pending_column(apps, schema_editor):
    # One ALTER TABLE on either database: Django would rebuild the whole table on SQLite for a
    # NOT NULL column (a copy of every record) and drop its full-text triggers on the way.
    false = "0" if schema_editor.connection.vendor == "sqlite" else "false"
    schema_editor.execute(
        f"ALTER TABLE disclosures_disclosure ADD COLUMN pending boolean NOT NULL DEFAULT {false}"
    )


def drop_pending_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE disclosures_disclosure DROP COLUMN pending")


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0006_drop_city_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="disclosure",
                    name="pending",
                    field=models.BooleanField(
                        db_default=False, default=False, editable=False, verbose_name="导入未完成"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_pending_column, drop_pending_column)],
        ),
        update_trigger_operation("disclosures_disclosure", "search_tokens"),
    ]
