from django.db import migrations

from search.token_index import update_trigger_operation


class Migration(migrations.Migration):
    """The full-text update trigger fires only when the indexed column changes."""

    dependencies = [
        ("merchants", "0003_merchant_fulltext"),
    ]

    operations = [update_trigger_operation("merchants_merchant", "search_tokens")]
