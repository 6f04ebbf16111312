"""The file an SQLite import keeps its updates of existing records in until it publishes."""

import datetime
import pickle
from decimal import Decimal

from disclosures.importing import staged

FIELDS = ("result_id", "summary", "recovered_amount", "closed_on")
REVISED = (
    FIELDS,
    True,
    [
        (3, "消费者反映购买的白酒疑似假酒，经复核，商家已于本月整改。", "1234.5", "2026-03-09", 41),
        (2, "要求退货退款", None, None, 42),
    ],
)


def test_updates_come_back_in_the_order_they_were_spooled(tmp_path):
    path = tmp_path / "batch7.spool"
    spool = staged.Spool(path)
    spool.append(REVISED)
    spool.append(((), False, [(5, 43)]))
    spool.close()

    assert list(staged._spooled(path)) == [REVISED, ((), False, [(5, 43)])]


def test_values_beyond_text_and_numbers_are_kept_as_they_were(tmp_path):
    """marshal takes text and numbers only: a chunk holding a Decimal or a date is pickled, and
    still comes back equal, beside the chunks around it."""
    path = tmp_path / "batch8.spool"
    typed = (FIELDS, False, [(3, "调解成功", Decimal("50.00"), datetime.date(2026, 3, 9), 44)])
    spool = staged.Spool(path)
    spool.append(REVISED)
    spool.append(typed)
    spool.append(REVISED)
    spool.close()

    assert list(staged._spooled(path)) == [REVISED, typed, REVISED]


def test_a_spool_the_previous_release_wrote_is_read(tmp_path):
    """An import killed while publishing, before an upgrade, left a stream of pickles: the next
    import finishes it."""
    path = tmp_path / "batch9.spool"
    with open(path, "wb") as handle:
        pickle.dump(REVISED, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((True, REVISED[2]), handle, protocol=pickle.HIGHEST_PROTOCOL)

    assert list(staged._spooled(path)) == [REVISED, (True, REVISED[2])]


def test_a_missing_spool_holds_nothing(tmp_path):
    assert list(staged._spooled(tmp_path / "gone.spool")) == []
