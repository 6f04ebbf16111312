"""The disclosure search's full-text index over Disclosure.search_tokens, and on SQLite its
covering index.

Full text: FTS5 on SQLite (its rowid is the disclosure id), a stored tsvector column with a GIN
index on PostgreSQL: see search.token_index.

Covering index (SQLite only): a keyword search walks the FTS5 matches in id order and looks
each one up by id. In the table itself that reads the whole row (summary and all, about 1 GB
at a million records); this narrow index keyed by id holds just what the visibility rule, the
filters, the facets and the date sort read, so the lookups stay in a few tens of megabytes.
PostgreSQL reaches the same rows through a bitmap heap scan and gains nothing from it. It is
not in Disclosure.Meta.indexes because it belongs to one database, like the FTS5 table.
"""

from django.db import migrations

from search.token_index import migration_operation

COVERING_INDEX = "disclosure_search_cover_idx"
COVERED_COLUMNS = (
    "id",
    "disclosed_on",
    "display_until",
    "objection_state",
    "category_id",
    "problem_type_id",
    "result_id",
    "complained_month",
    "region_id",
    "city_code",
    "province_code",
    "complained_on",
    "merchant_id",
)


def create_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX {COVERING_INDEX} ON disclosures_disclosure "
            f"({', '.join(COVERED_COLUMNS)})"
        )


def drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0002_reference_data")]

    operations = [
        migration_operation("disclosures_disclosure", "search_tokens"),
        migrations.RunPython(create_covering_index, drop_covering_index),
    ]
