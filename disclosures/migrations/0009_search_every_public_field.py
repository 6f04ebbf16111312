"""The disclosure search's tokens cover every public text field: the respondent's address and
the handling department join the name, summary and request (``models.SEARCHED_TEXT``).

Every record's ``search_tokens`` is recomputed and the full-text index made again in one pass
(``search.token_index.recompute_operation``: the FTS5 update trigger, or the GIN index, is
off meanwhile), rather than a million single-row index updates. The tokens are computed by the
same function an import uses, so old and new records are tokenised alike. With Elasticsearch
configured, run ``manage.py reindex_disclosures`` afterwards: the document gained the
handling department.
"""

from django.db import migrations

from search.text_analysis import index_text
from search.token_index import recompute_operation

# The columns of models.SEARCHED_TEXT as this migration knows them (a later change to the
# list comes with its own migration).
COLUMNS = (
    "respondent_name",
    "summary",
    "consumer_request",
    "respondent_address",
    "handling_department",
)


def tokens(*texts):
    return index_text(" ".join(text for text in texts if text))


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0008_import_pending_rows")]

    operations = [
        recompute_operation("disclosures_disclosure", "search_tokens", COLUMNS, tokens),
    ]
