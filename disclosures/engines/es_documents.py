"""The Elasticsearch document of a disclosed complaint: its mapping and how a record becomes one.

Readers search through the alias ``<prefix>-disclosures``; each rebuild loads a new concrete
index ``<alias>-<timestamp>`` and moves the alias to it in one step (``elastic.rebuild``).

Same answers as the database by construction: the document carries the database's own tokens,
not text for Elasticsearch to analyse its own way. ``tokens`` is the record's
``search_tokens`` (``search.text_analysis`` of ``models.SEARCHED_TEXT``: the very string the
FTS5 table and the tsvector hold) and ``address_tokens`` its respondent address's
(``RespondentAddress.search_tokens``, the same ``index_text``), both split on whitespace only
(``TOKENS_ANALYZER``: no lower-casing, stop words or number handling of Elasticsearch's own,
which made ``IT培训``, ``3.5折`` and ``㎡`` answer differently from the database with the
``cjk`` analyzer). ``es_queries`` asks for exactly the tokens the database's match would use.
The prefixes of one character are indexed too (``index_prefixes``), so a one-character query,
which the database answers as a token prefix, is one term look-up rather than a scan of every
token beginning with it.

The record's text is kept in the source (whoever inspects the index reads it) but not indexed:
nothing searches it. Only what a public page shows is indexed, and the text is the scrubbed
text the model stores (the raw complaint text is never kept, so it cannot reach the index).
``dynamic: strict`` makes Elasticsearch refuse any field not declared here rather than index it
silently.
"""

from django.conf import settings
from elasticsearch_dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    MetaField,
    ScaledFloat,
    Text,
    analyzer,
    tokenizer,
)

from search.text_analysis import index_text

from ..search_query import MAX_RESULTS

# The field of the record's own tokens (what the keyword's terms match) and of its address's
# (matched for a term too common to send the addresses' ids: ``es_queries``).
TOKENS_FIELD = "tokens"
ADDRESS_TOKENS_FIELD = "address_tokens"
# Whitespace only, as the database's token columns are read. A Latin or digit token is a run of
# the text, as long as the run: the tokenizer's default cut at 255 characters would split one
# the database keeps whole.
TOKENS_ANALYZER = analyzer(
    "disclosure_tokens",
    tokenizer=tokenizer("disclosure_whitespace", "whitespace", max_token_length=4096),
)


def _tokens():
    return Text(analyzer=TOKENS_ANALYZER, index_prefixes={"min_chars": 1, "max_chars": 1})


def _stored_text():
    """Text kept in the source and not indexed: the tokens fields are what is searched."""
    return Text(index=False)


class DisclosureDocument(Document):
    pk = Integer()  # the database id: the page reads the rows, and ties sort by it
    complaint_number = Keyword()
    respondent_name = _stored_text()
    credit_code = Keyword()
    respondent_address = _stored_text()
    address = Integer()  # the address's id (``disclosures.keyword``)
    # Searched only for a term too common for ``address`` (``es_queries``).
    address_tokens = _tokens()
    region_code = Keyword()
    city_code = Keyword()
    province_code = Keyword()
    category = Integer()
    problem_type = Integer()
    result = Integer()
    merchant = Integer()
    summary = _stored_text()
    consumer_request = _stored_text()
    tokens = _tokens()  # of SEARCHED_TEXT: the keyword's terms match here
    complained_on = Date(format="yyyy-MM-dd")
    year = Integer()
    handling_department = _stored_text()  # not searched: ``department`` is
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
        # Elasticsearch's default, stated: the readers' pages stop there (``MAX_RESULTS``).
        settings = {"max_result_window": MAX_RESULTS}


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
    "search_tokens",
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
        # ``RespondentAddress.search_tokens`` is this same ``index_text`` of the same text:
        # computed here, an update need not read the address rows.
        "address_tokens": index_text(disclosure.respondent_address),
        "region_code": disclosure.region_id,
        "city_code": disclosure.city_code,
        "province_code": disclosure.province_code,
        "category": disclosure.category_id,
        "problem_type": disclosure.problem_type_id,
        "result": disclosure.result_id,
        "merchant": disclosure.merchant_id,
        "summary": disclosure.summary,
        "consumer_request": disclosure.consumer_request,
        "tokens": disclosure.search_tokens,
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
