"""What the keyword box of the disclosure search matches: the one rule both engines apply.

A record matches a keyword when either

- every term (``search.text_analysis.query_terms``) is found in its public text, in the name
  of its category, problem type or handling department, or in its respondent's address: the
  text is the respondent's name, the summary and the request (``models.SEARCHED_TEXT``,
  indexed as ``Disclosure.search_tokens``, which the Elasticsearch document carries as its
  ``tokens``); or
- the whole keyword is its complaint number or its respondent's unified social credit code
  (``Keyword.complaint_number``, ``Keyword.credit_code``): what a reader copies from a letter
  or a licence.

Why the category, problem type, department and address are matched by name here rather than
indexed with the text: the category and problem type are reference data an editor may rename,
and a name held in a million rows' tokens would go stale with every rename; the department is
one of a few hundred names and the address one of as many as there are respondents, each
repeated across a million records, which made every record's tokens longer and an import
slower, and a word most of them share (市场监督, 长沙) matched nearly every record through the
full-text index. A term is compared with the reference names once per search (their tokens made
once per data version) and with the distinct addresses through their own full-text index
(``models.ADDRESS_INDEX``, ``matching_addresses``), and a match becomes a condition on the
record's id column (a column both engines hold: ``Disclosure.department``,
``Disclosure.address``), so 虚假宣传 finds every record filed under it whatever its text says.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Value

from common import credit_code as credit_codes
from search.fulltext import matches_sql
from search.text_analysis import index_text, query_terms

from .models import ADDRESS_INDEX, ComplaintCategory, HandlingDepartment, ProblemType
from .snapshot import ids_from_sql

# A complaint number or a credit code as typed: letters, digits and the separators numbers
# are printed with, at least one digit, no space.
_IDENTIFIER_RE = re.compile(r"^(?=[^0-9]*[0-9])[0-9A-Za-z][0-9A-Za-z\-_./]{5,63}$")


# Compared by identity: ``addresses`` may be an array, which ``==`` would not make a bool of.
@dataclass(frozen=True, eq=False)
class ReferenceMatch:
    """The reference rows whose name holds one term: records filed under them match it."""

    categories: tuple = ()
    problem_types: tuple = ()
    departments: tuple = ()
    # The RespondentAddress ids whose address holds the term: a sequence of ints (a numpy
    # array from ``matching_addresses``), as many as tens of thousands for 长沙.
    addresses: object = ()

    def __bool__(self):
        return bool(
            self.categories or self.problem_types or self.departments or len(self.addresses)
        )


@dataclass(frozen=True)
class Keyword:
    terms: list = field(default_factory=list)  # QueryTerms, all must match
    references: list = field(default_factory=list)  # a ReferenceMatch per term, same order
    complaint_number: str = ""  # the keyword as a complaint number, when it could be one
    credit_code: str = ""  # the keyword as a credit code, when it is a valid one

    def __bool__(self):
        return bool(self.terms or self.complaint_number or self.credit_code)

    @property
    def text_only_terms(self):
        """Terms no reference name holds: matched in the text alone, together."""
        return [t for t, ref in zip(self.terms, self.references, strict=True) if not ref]

    @property
    def referenced_terms(self):
        """(term, ReferenceMatch) of the terms some reference name holds."""
        return [(t, ref) for t, ref in zip(self.terms, self.references, strict=True) if ref]


def padded_tokens(text):
    """``text``'s full-text tokens between spaces, as ``term_in_padded`` reads them."""
    return f" {index_text(text)} "


def term_in_padded(term, padded):
    """Whether a QueryTerm matches a text (its ``padded_tokens``) as the full-text index would."""
    if term.prefix:
        return f" {term.tokens[0]}" in padded
    return f" {' '.join(term.tokens)} " in padded


def term_in_text(term, text):
    """Whether a QueryTerm matches ``text`` as the full-text index would match it."""
    return term_in_padded(term, padded_tokens(text))


def _holding(names, term):
    return tuple(pk for pk, padded in names if term_in_padded(term, padded))


def _identifier(q):
    """(complaint number, credit code) the keyword could be, "" for neither."""
    # Full-width digits and letters typed on a phone made half-width; case kept, as issued.
    text = unicodedata.normalize("NFKC", q).strip()
    if not _IDENTIFIER_RE.match(text):
        return "", ""
    try:
        code = credit_codes.validate(text)
    except credit_codes.CreditCodeError:
        code = ""
    return text, code


def complaint_numbers(number):
    """The stored spellings a typed complaint number may have: as typed, and in capitals."""
    return list(dict.fromkeys((number, number.upper())))


def reference_names():
    """The categories', problem types' and handling departments' names, in one query: three
    lists of (id, ``padded_tokens`` of the name).

    A few hundred rows. Any change to them changes the disclosures' data version (a category
    or problem type by ``signals``, a department only ever with the records that name it), so a
    caller holding the version may keep them until it changes.
    """
    tables = (ComplaintCategory, ProblemType, HandlingDepartment)
    queries = [
        model.objects.annotate(table=Value(number)).values_list("table", "pk", "name").order_by()
        for number, model in enumerate(tables)
    ]
    names = tuple([] for _ in tables)
    for table, pk, name in queries[0].union(*queries[1:], all=True):
        names[table].append((pk, padded_tokens(name)))
    return names


def matching_addresses(term):
    """The ids of the addresses that hold a QueryTerm, from their full-text index (an int64
    array): the one look-up both engines use."""
    return ids_from_sql(*matches_sql(ADDRESS_INDEX, [term]))


def parse_keyword(q, names=None, addresses=matching_addresses):
    """The Keyword for what a reader typed (an empty Keyword for nothing); ``names`` are the
    ``reference_names()`` when the caller holds them, else they are read; ``addresses`` gives
    a term's matching address ids (``matching_addresses``, or a caller's cached form of it)."""
    if not q or not q.strip():
        return Keyword()
    terms = query_terms(q)
    references = []
    if terms:
        categories, problem_types, departments = names or reference_names()
        references = [
            ReferenceMatch(
                _holding(categories, term),
                _holding(problem_types, term),
                _holding(departments, term),
                addresses(term),
            )
            for term in terms
        ]
    number, code = _identifier(q)
    return Keyword(terms, references, number, code)
