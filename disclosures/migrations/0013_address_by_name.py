"""The respondent's address is matched through a dictionary of the distinct addresses at search
time, as the handling department is (0012, ``disclosures.keyword``), instead of being held in
every record's search tokens.

Each distinct address becomes a ``RespondentAddress`` row with its own tokens and full-text
index (FTS5 on SQLite, a tsvector column with a GIN index on PostgreSQL) and each record holds
its id (``Disclosure.address``), filled here in one statement; then every record's tokens are
recomputed without the address (as in 0012: the full-text index is made again in one pass; on
PostgreSQL the side table of 0011 is filled again from the new tokens). An address is still
found by any part of it (岳麓区, 麓谷). With Elasticsearch configured, run
``manage.py reindex_disclosures`` afterwards: the document gained the address's id.
"""

import django.db.models.deletion
from django.db import migrations, models

from search.text_analysis import index_text
from search.token_index import migration_operation, recompute_operation, side_index

# The columns of models.SEARCHED_TEXT as this migration knows them.
COLUMNS = ("respondent_name", "summary", "consumer_request")
TABLE = "disclosures_disclosure"
ADDRESSES = "disclosures_respondentaddress"
BATCH = 1000


def tokens(*texts):
    return index_text(" ".join(text for text in texts if text))


def fill_addresses(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT respondent_address FROM {TABLE} WHERE respondent_address <> ''"
        )
        texts = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(texts), BATCH):
            cursor.executemany(
                f"INSERT INTO {ADDRESSES} (text, search_tokens) VALUES (%s, %s)",
                [(text, index_text(text)) for text in texts[start : start + BATCH]],
            )
        # One pass over the records, each address looked up by its unique index. Only
        # address_id changes: the search tokens' triggers (FTS5, the side table) stay quiet.
        cursor.execute(
            f"UPDATE {TABLE} SET address_id = (SELECT a.id FROM {ADDRESSES} AS a "
            f"WHERE a.text = {TABLE}.respondent_address)"
        )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0012_department_by_name")]

    operations = [
        migrations.CreateModel(
            name="RespondentAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=300, unique=True, verbose_name="地址")),
                ("search_tokens", models.TextField(blank=True, editable=False)),
            ],
            options={"verbose_name": "被投诉人地址", "verbose_name_plural": "被投诉人地址"},
        ),
        migration_operation(ADDRESSES, "search_tokens"),
        migrations.AddField(
            model_name="disclosure",
            name="address",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="disclosures",
                to="disclosures.respondentaddress",
                verbose_name="被投诉人地址代码",
            ),
        ),
        migrations.RunPython(fill_addresses, migrations.RunPython.noop),
        recompute_operation(
            TABLE,
            "search_tokens",
            COLUMNS,
            tokens,
            index=side_index(
                TABLE, "search_tokens", "disclosures_disclosuresearch", "disclosure_id"
            ),
        ),
    ]
