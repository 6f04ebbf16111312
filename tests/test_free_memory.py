"""Memory a large job freed goes back to the operating system (``common.free_memory``)."""

import ctypes.util
import subprocess
import sys

import pytest
from django.conf import settings

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


FREE_LARGE_BLOCKS = """
import sys
from common import free_memory

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6

if sys.argv[1] == "pinned":
    assert free_memory.map_large_blocks() is True
big = bytearray(24 * 2**20)  # a large block freed: glibc raises its threshold to its size
del big
before = resident_mb()
columns = [bytearray(2 * 2**20) for _ in range(12)]  # a build's temporaries, 24 MB
tail = bytearray(1024)  # something small after them, as a build leaves
del columns
print(resident_mb() - before)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or "libc.so" not in str(ctypes.util.find_library("c")),
    reason="mallopt is glibc's",
)
def test_large_blocks_freed_after_a_larger_one_are_handed_back_at_once():
    """What the import's snapshot build met after a first load: with glibc's moving threshold
    its freed temporaries stayed counted; pinned (``map_large_blocks``) they go at once."""

    def kept_mb(mode):
        done = subprocess.run(
            [sys.executable, "-c", FREE_LARGE_BLOCKS, mode],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return float(done.stdout)

    assert kept_mb("moving") > 16  # glibc's own behaviour: the test can tell the difference
    assert kept_mb("pinned") < 4
