"""The directory's full-text index over Merchant.search_tokens (bigrams of names and credit code).

FTS5 on SQLite, a stored tsvector column with a GIN index on PostgreSQL: see search.token_index.
"""

from django.db import migrations

from search.token_index import migration_operation


class Migration(migrations.Migration):
    dependencies = [("merchants", "0002_reference_data")]

    operations = [migration_operation("merchants_merchant", "search_tokens")]
