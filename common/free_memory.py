"""Handing memory a large job has freed back to the operating system.

glibc keeps freed memory in its heaps for reuse, and a long job (an import: a million rows
parsed, scrubbed and inserted on two threads) leaves them large and fragmented. The process
then counts memory it no longer uses, and whatever it does next (an import writes the search
snapshot) adds to that. ``malloc_trim`` returns every whole free page. Elsewhere than glibc
(macOS, musl) nothing happens.
"""

import ctypes
import ctypes.util
import functools


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release():
    """Return the free pages of the process's heaps; True when the C library could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
