"""PostgreSQL: the disclosure search's vectors move out of the disclosure table into a narrow
side table, ``disclosures_disclosuresearch(disclosure_id, search_vector)``, with the GIN index.

Why: since the keyword covers every public field (0009), each record's stored tsvector grew
to about 830 bytes inside the record's row; a common term's tens of thousands of matches were
checked against whole rows, and 退货 at 100,000 records went from 21 to 78 ms. In the side table
the matches are read from vectors alone (``search.fulltext.postgres_matches``).

The vectors are copied as they are (not parsed again), the GIN index is made once over all of
them, and triggers keep the side table in step from then on, as SQLite's triggers keep its FTS5
table (``search.token_index.postgres_side_sync_sql``): an insert, a change to the tokens, a
delete, a TRUNCATE. The dropped column's bytes stay in the old rows until they are rewritten
(``VACUUM FULL disclosures_disclosure`` in a quiet hour reclaims them at once). SQLite: nothing
to do, its FTS5 table is already a table of its own.
"""

from django.db import migrations

from search.token_index import side_table_operation


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0010_withdraw_permission")]

    operations = [
        side_table_operation(
            "disclosures_disclosure",
            "search_tokens",
            "disclosures_disclosuresearch",
            "disclosure_id",
        ),
    ]
