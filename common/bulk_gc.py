"""The garbage collector during a large job: long-lived objects set aside, young ones left
to pile up longer.

A disclosure import keeps each chunk's rows alive until they are written, so its objects
survive the young generations, fill the oldest and set off full collections, each walking every
object the collector tracks: in a loaded Django + Wagtail process about 210,000 (modules,
classes, forms, panels). In a million-row import that cost 14 % of its time (8,882 against
10,152 rows/s with them frozen, bench/disclosures.py's file). ``gc.freeze`` moves the objects
that exist when the job starts to a generation no collection visits. What is left is the
job's own: at 200,000 rows its collections took 1.09 s with the default thresholds and 0.16 s
with a young generation of 50,000 objects, for the same peak memory.

A web worker freezes its start-up objects once for good (``portal.startup``); a process that
has not (a management command, a task worker) gets them back into the oldest generation when
the job ends, so that what becomes garbage among them is found again.
"""

import gc
from contextlib import contextmanager

# (young, middle, old) collection thresholds while the job runs (Python's: 700, 10, 10).
BULK_THRESHOLDS = (50_000, 20, 10)


@contextmanager
def tuned():
    """For the job in this block: what exists already is left alone, young objects are
    collected less often. Both are put back afterwards."""
    owned = gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    if owned:
        gc.collect()  # no garbage is frozen with them
        gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if owned:
            gc.unfreeze()
