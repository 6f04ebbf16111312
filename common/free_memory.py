"""Handing memory a large job has freed back to the operating system.

glibc keeps freed memory in its heaps for reuse, and a long job (an import: a million rows
parsed, scrubbed and inserted on two threads) leaves them large and fragmented. The process
then counts memory it no longer uses, and whatever it does next (an import writes the search
snapshot) adds to that. ``malloc_trim`` returns every whole free page. Elsewhere than glibc
(macOS, musl) nothing happens.

glibc also moves the size from which a block gets pages of its own (mapped, and unmapped when
freed) up to that of the largest such block freed so far. After a first load of a million
records (SQLite building two indexes at the end), the columns of the search snapshot the import
then writes came from the heap instead, stayed counted until the end, and took the import's
peak from 291 to 301-303 MB (bench/disclosures.py, target 300). ``map_large_blocks`` pins that
size where glibc starts it: the same imports peaked at 291 and 292 MB, as fast.
"""

import ctypes
import ctypes.util
import functools

# mallopt's M_MMAP_THRESHOLD, and glibc's starting value of it.
_M_MMAP_THRESHOLD = -3
LARGE_BLOCK_BYTES = 128 * 1024


@functools.cache
def _libc_function(name):
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):
        return None


def map_large_blocks(size=LARGE_BLOCK_BYTES):
    """From now on, every block of ``size`` bytes or more gets pages of its own, handed back
    when it is freed; True when the C library could. For the rest of the process."""
    mallopt = _libc_function("mallopt")
    return bool(mallopt and mallopt(_M_MMAP_THRESHOLD, int(size)) == 1)


def release():
    """Return the free pages of the process's heaps; True when the C library could."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True
