"""Batch work at a lower CPU priority than the requests it shares the machine with.

A large import keeps two cores busy for minutes; at the same priority a citizen's page or an
editor's login (whose password hash alone is a few hundred milliseconds of CPU) waits for it.
On Linux the nice value belongs to each thread, and threads the import starts inherit it, so
only the import slows down, not the web worker that may run it.
"""

import logging
import os
import threading
from contextlib import contextmanager

logger = logging.getLogger(__name__)


@contextmanager
def lower_priority(niceness):
    """Run the block with the calling thread ``niceness`` steps nicer (0: unchanged)."""
    if not niceness or not hasattr(os, "setpriority"):
        yield
        return
    thread = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, thread)
    os.setpriority(os.PRIO_PROCESS, thread, min(before + niceness, 19))
    try:
        yield
    finally:
        try:
            os.setpriority(os.PRIO_PROCESS, thread, before)
        except PermissionError:  # only a privileged process may become less nice again
            logger.info("Import thread stays at nice %d", min(before + niceness, 19))
