"""The Elasticsearch document of a disclosed complaint: its mapping and how a record becomes one.

Readers search through the alias ``<prefix>-disclosures``; each rebuild loads a new concrete
index ``<alias>-<timestamp>`` and moves the alias to it in one step (``elastic.rebuild``).

Chinese text uses the built-in ``cjk`` analyzer: the standard tokenizer cuts Chinese into single
characters and ``cjk_bigram`` joins neighbours into overlapping bigrams (预付卡 → 预付, 付卡),
never across a space or punctuation, which is exactly what ``search/text_analysis.py`` does for
the database path, so both engines find the same records with no server plugin (IK, smartcn) to
install (the one difference: ``cjk`` drops a few English stop words such as "the"). The
``.chars`` sub-field (the ``standard`` analyzer: one token per character) answers a
one-character query, which bigrams cannot: the database path matches it as a token prefix.

Only what a public page shows is indexed, and the text is the scrubbed text the model stores
(the raw complaint text is never kept, so it cannot reach the index). ``dynamic: strict``
makes Elasticsearch refuse any field not declared here rather than index it silently.
"""

from django.conf import settings
from elasticsearch_dsl import Date, Document, Integer, Keyword, MetaField, ScaledFloat, Text

from ..models import SEARCHED_TEXT

# The fields a keyword query searches: the same text the database path tokenises
# (``models.SEARCHED_TEXT``), so that both engines find the same records.
SEARCH_FIELDS = SEARCHED_TEXT


def _chinese_text():
    return Text(analyzer="cjk", fields={"chars": Text(analyzer="standard")})


class DisclosureDocument(Document):
    pk = Integer()  # the database id: the page reads the rows, and ties sort by it
    complaint_number = Keyword()
    respondent_name = _chinese_text()
    credit_code = Keyword()
    # Shown, and searched only for a term too common for ``address`` (``es_queries``).
    respondent_address = _chinese_text()
    address = Integer()  # the address's id (``disclosures.keyword``)
    region_code = Keyword()
    city_code = Keyword()
    province_code = Keyword()
    category = Integer()
    problem_type = Integer()
    result = Integer()
    merchant = Integer()
    summary = _chinese_text()
    consumer_request = _chinese_text()
    complained_on = Date(format="yyyy-MM-dd")
    year = Integer()
    handling_department = _chinese_text()  # shown, not searched: ``department`` is
    department = Integer()  # the department's id (``disclosures.keyword``)
    closed_on = Date(format="yyyy-MM-dd")
    recovered_amount = ScaledFloat(scaling_factor=100)  # yuan, to the fen
    disclosed_on = Date(format="yyyy-MM-dd")
    display_until = Date(format="yyyy-MM-dd")
    objection_state = Keyword()

    class Meta:
        dynamic = MetaField("strict")

    class Index:
        # A placeholder: the real names come from settings at run time (alias_name()).
        name = "disclosures"


# The Disclosure fields ``document_source`` reads: what an index update loads of each record.
SOURCE_FIELDS = [
    "pk",
    "complaint_number",
    "respondent_name",
    "credit_code",
    "respondent_address",
    "address_id",
    "region_id",
    "city_code",
    "province_code",
    "category_id",
    "problem_type_id",
    "result_id",
    "merchant_id",
    "summary",
    "consumer_request",
    "complained_on",
    "handling_department",
    "department_id",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
    "objection_state",
]


def document_source(disclosure):
    """The indexed fields of one Disclosure (its stored text is already scrubbed), as a dict.

    Bulk loads send it as it is: building a Document per record costs about four times as
    much, which is minutes on a million records. The test suite checks it against the mapping.
    """
    return {
        "pk": disclosure.pk,
        "complaint_number": disclosure.complaint_number,
        "respondent_name": disclosure.respondent_name,
        "credit_code": disclosure.credit_code,
        "respondent_address": disclosure.respondent_address,
        "address": disclosure.address_id,
        "region_code": disclosure.region_id,
        "city_code": disclosure.city_code,
        "province_code": disclosure.province_code,
        "category": disclosure.category_id,
        "problem_type": disclosure.problem_type_id,
        "result": disclosure.result_id,
        "merchant": disclosure.merchant_id,
        "summary": disclosure.summary,
        "consumer_request": disclosure.consumer_request,
        "complained_on": disclosure.complained_on,
        "year": disclosure.complained_on.year,
        "handling_department": disclosure.handling_department,
        "department": disclosure.department_id,
        "closed_on": disclosure.closed_on,
        "recovered_amount": float(disclosure.recovered_amount),
        "disclosed_on": disclosure.disclosed_on,
        "display_until": disclosure.display_until,
        "objection_state": disclosure.objection_state,
    }


def alias_name():
    """What searches and updates address; it points at the current concrete index."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-disclosures"


def concrete_index_name(now):
    return f"{alias_name()}-{now:%Y%m%d%H%M%S%f}"


def index_definition(name):
    """The index ``name`` with the document's mapping (``.to_dict()`` is the create body)."""
    return DisclosureDocument._index.clone(name=name)
