"""Memory a large job freed goes back to the operating system (``common.free_memory``)."""

import ctypes.util
import sys

import pytest

from common import free_memory


def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or "libc.so" not in str(ctypes.util.find_library("c")),
    reason="malloc_trim is glibc's",
)
def test_freed_pages_between_live_objects_are_handed_back():
    # Rows' texts of a few KB come from malloc's heaps. A live record every hundred rows keeps
    # glibc from giving the freed runs between them back by itself, as a long import's do.
    texts, kept = [], []
    for serial in range(20_000):
        texts.append(("投诉内容摘要：消费者反映商家拒绝退货" * 60 + str(serial)).encode())
        if serial % 100 == 0:
            kept.append(("处理结果：调解成功" * 200 + str(serial)).encode())
    del texts
    freed = resident_mb()

    assert free_memory.release() is True
    assert resident_mb() < freed - 40
    assert len(kept) == 200
