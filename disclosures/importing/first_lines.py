"""The line on which each complaint number of a file first appeared, in little memory.

An import refuses a number given twice and names the line it first appeared on. A dict of a
million numbers to their lines took about 130 MB of the import's memory (bench/disclosures.py);
here the numbers are kept as sorted fixed-width byte strings with their lines beside them
(about 27 MB for a million numbers of 22 characters) and checked a chunk of rows at a time.

The numbers are compared exactly, not by a hash: a hash collision would refuse a good file.
Each chunk's new numbers become a sorted run, merged into the run before it once they are as
large (a binary counter), so a million numbers are kept in a handful of runs, each number is
copied a few times in all, and a chunk is checked with a binary search in each run. Runs stop
growing at ``MAX_RUN`` numbers: merging two runs holds both and their merge at once, and two
runs of half a million would add 27 MB to the import's peak for a moment.
"""

import numpy as np

MAX_RUN = 1 << 18  # 262,144 numbers, about 7 MB


def _encoded(numbers):
    encoded = list(map(str.encode, numbers))
    joined = "".join(numbers)
    if "\x00" in joined or "\x01" in joined:
        # NumPy's byte strings drop trailing NUL bytes, so a number ending in one would equal
        # the same number without it: a number ending in NUL or \x01 gets one more \x01,
        # which keeps the numbers apart (no other number ends in \x01).
        encoded = [key + b"\x01" if key[-1:] in (b"\x00", b"\x01") else key for key in encoded]
    return np.array(encoded, dtype=bytes)


def _common(keys, other):
    """``keys`` as wide as ``other``'s items, never narrower (that would cut them)."""
    if keys.dtype.itemsize < other.dtype.itemsize:
        return keys.astype(other.dtype)
    return keys


class FirstLines:
    """``repeats(numbers, lines)`` → {line: first line} for each number seen before."""

    def __init__(self):
        self._runs = []  # (sorted keys, their first lines), oldest first

    def __len__(self):
        return sum(len(keys) for keys, _lines in self._runs)

    def repeats(self, numbers, lines):
        """Record one chunk of numbers (in line order) and return, for each line whose number
        appeared on an earlier line (of this chunk or an earlier one), that first line."""
        if not numbers:
            return {}
        keys = _encoded(numbers)
        lines = np.asarray(lines, dtype=np.int64)
        order = np.argsort(keys, kind="stable")  # equal numbers stay in line order
        keys, lines = keys[order], lines[order]
        starts = np.ones(len(keys), dtype=bool)  # the first of each number within the chunk
        starts[1:] = keys[1:] != keys[:-1]
        group = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
        first = lines[group]  # each row's first line within the chunk
        earlier = self._earlier_lines(keys[starts])  # 0 where not seen in an earlier chunk
        seen_before = np.repeat(earlier, np.diff(np.flatnonzero(np.append(starts, True))))
        first = np.where(seen_before > 0, seen_before, first)
        repeated = (first != lines).nonzero()[0]
        new = starts.copy()
        new[starts] = earlier == 0
        self._add_run(keys[new], lines[new])
        return dict(zip(lines[repeated].tolist(), first[repeated].tolist(), strict=True))

    def _earlier_lines(self, keys):
        """Each key's line in the runs (a key is in at most one), or 0."""
        found = np.zeros(len(keys), dtype=np.int64)
        for run_keys, run_lines in self._runs:
            wanted = _common(keys, run_keys)
            run_keys = _common(run_keys, wanted)
            at = np.searchsorted(run_keys, wanted)
            inside = at < len(run_keys)
            hit = np.zeros(len(keys), dtype=bool)
            hit[inside] = run_keys[at[inside]] == wanted[inside]
            found[hit] = run_lines[at[hit]]
        return found

    def _add_run(self, keys, lines):
        if len(keys):
            self._runs.append((keys, lines.astype(np.uint32)))
        while (
            len(self._runs) > 1
            and len(self._runs[-2][0]) <= len(self._runs[-1][0])
            and len(self._runs[-2][0]) + len(self._runs[-1][0]) <= MAX_RUN
        ):
            small_keys, small_lines = self._runs.pop()
            big_keys, big_lines = self._runs.pop()
            big_keys, small_keys = _common(big_keys, small_keys), _common(small_keys, big_keys)
            at = np.searchsorted(big_keys, small_keys)
            self._runs.append(
                (np.insert(big_keys, at, small_keys), np.insert(big_lines, at, small_lines))
            )
