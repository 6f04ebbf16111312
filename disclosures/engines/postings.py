"""The rows a full-text term matches, kept per data version for the terms that match many.

Why: at a million records 退货 matches 350,000 of them. The full-text index finds them in about
17 ms, and handing 350,000 ids from the database to Python costs another 20 ms, two thirds of
the whole search (``bench/disclosures.py``). The answer changes only with the data, so a term
matching at least ``MIN_KEPT_MATCHES`` rows keeps its rows as a bit per snapshot row (125 KB at a
million rows), until the data version changes; its next search, next page, facet link or sort
reads them back in a tenth of a millisecond. Rarer terms cost the index a millisecond or two and
are many: they are looked up each time.

Packed NumPy bits rather than compressed bitmaps (pyroaring): a term worth keeping is common, so
a compressed bitmap is no smaller (131 KB for 350,000 of a million rows), and building it and
turning it back into a row mask took 19 ms and 2 ms against 0.1 ms each way (measured on this
machine).

The rows are those of the snapshot the term was looked up against (``Snapshot.mask_of``):
identical to looking it up again, as long as the version has not changed, which is the key.
"""

import threading
from collections import OrderedDict

import numpy as np
from django.db import connection

# A term matching fewer rows than this is looked up in the index each time.
MIN_KEPT_MATCHES = 1000
# Kept terms per process and data version, by bytes: 256 terms at a million rows.
KEPT_BYTES = 32 * 1024 * 1024

_lock = threading.Lock()
_kept = {"key": None, "terms": OrderedDict(), "bytes": 0}


def _term_key(term):
    return (term.tokens, term.prefix)


def term_mask(snapshot, term, look_up):
    """Boolean mask of the snapshot rows whose text ``term`` matches; ``look_up(term)`` gives
    the matching record ids from the index when the term's rows are not kept."""
    version = (connection.alias, snapshot.token)
    key = _term_key(term)
    with _lock:
        if _kept["key"] == version and key in _kept["terms"]:
            _kept["terms"].move_to_end(key)
            packed = _kept["terms"][key]
            return np.unpackbits(packed, count=len(snapshot)).view(bool)
    mask = snapshot.mask_of(look_up(term))
    if np.count_nonzero(mask) >= MIN_KEPT_MATCHES:
        _keep(version, key, np.packbits(mask))
    return mask


def _keep(version, key, packed):
    with _lock:
        if _kept["key"] != version:
            _kept.update(key=version, terms=OrderedDict(), bytes=0)
        terms = _kept["terms"]
        if key in terms:
            return
        terms[key] = packed
        _kept["bytes"] += packed.nbytes
        while _kept["bytes"] > KEPT_BYTES and terms:
            _old_key, old = terms.popitem(last=False)
            _kept["bytes"] -= old.nbytes


def forget():
    """Drop every kept term (tests, and the bench's cold runs)."""
    with _lock:
        _kept.update(key=None, terms=OrderedDict(), bytes=0)
