"""The handling department is matched by its name at search time, as the category and problem
type are (``disclosures.keyword``), instead of being held in every record's search tokens.

Each distinct department name becomes a ``HandlingDepartment`` row and each record holds its
id (``Disclosure.department``), filled here in one statement; then every record's tokens are
recomputed without the department (``search.token_index.recompute_operation``, as in 0009: the
full-text index is made again in one pass; on PostgreSQL the side table of 0011 is filled again
from the new tokens). A department is still found by any part of its name (市场监督, 岳麓).
On SQLite the full-text index then merges its segments less often while an import writes.
With Elasticsearch configured, run ``manage.py reindex_disclosures`` afterwards: the document
gained the department's id.
"""

import django.db.models.deletion
from django.db import migrations, models

from search.text_analysis import index_text
from search.token_index import recompute_operation, side_index, sqlite_automerge_operation

# The columns of models.SEARCHED_TEXT as this migration knows them.
COLUMNS = ("respondent_name", "summary", "consumer_request", "respondent_address")
TABLE = "disclosures_disclosure"
DEPARTMENTS = "disclosures_handlingdepartment"
INDEX = side_index(TABLE, "search_tokens", "disclosures_disclosuresearch", "disclosure_id")


def tokens(*texts):
    return index_text(" ".join(text for text in texts if text))


def fill_departments(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DEPARTMENTS} (name) SELECT DISTINCT handling_department FROM {TABLE} "
            f"WHERE handling_department <> ''"
        )
        # One pass over the records, each name looked up by its unique index.
        cursor.execute(
            f"UPDATE {TABLE} SET department_id = (SELECT d.id FROM {DEPARTMENTS} AS d "
            f"WHERE d.name = {TABLE}.handling_department)"
        )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0011_search_vectors_in_side_table")]

    operations = [
        migrations.CreateModel(
            name="HandlingDepartment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="名称")),
            ],
            options={"verbose_name": "处理部门", "verbose_name_plural": "处理部门"},
        ),
        migrations.AddField(
            model_name="disclosure",
            name="department",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disclosures",
                to="disclosures.handlingdepartment",
                verbose_name="处理部门代码",
            ),
        ),
        migrations.RunPython(fill_departments, migrations.RunPython.noop),
        recompute_operation(TABLE, "search_tokens", COLUMNS, tokens, index=INDEX),
        # SQLite: fewer FTS5 merges while a large import writes (``sqlite_automerge_operation``).
        sqlite_automerge_operation(INDEX, 8),
    ]
