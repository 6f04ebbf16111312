"""Choosing a QR code's mask: the eight candidates scored at once, as qrcode scores them.

qrcode draws the symbol eight times and scores each with nested Python loops. Here the eight
masked candidates arrive as one (8, size, size) array and the four ISO/IEC 18004 penalty rules
run as array operations over all of them. The scores are qrcode's ``util.lost_point`` exactly
(tests/test_merchant_qr.py checks whole symbols against qrcode's own), and ties go to the
lowest pattern, as in qrcode's ``best_mask_pattern``.
"""

import numpy as np

# Rule 3: dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light modules on a side.
FINDER_LIKE = (0b10111010000, 0b00001011101)
FINDER_WIDTH = 11


def _lines(candidates):
    """Rows and columns of every candidate as one (8, 2 * size, size) array."""
    return np.concatenate([candidates, candidates.transpose(0, 2, 1)], axis=1)


def _run_penalties(lines):
    """Rule 1: a run of n ≥ 5 modules of one colour in a row or column costs n − 2."""
    count, line_count, size = lines.shape
    # A separator (2) after every line keeps runs from spanning two lines.
    padded = np.full((count, line_count, size + 1), 2, dtype=np.uint8)
    padded[:, :, :size] = lines
    flat = padded.ravel()
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    lengths = np.diff(np.append(starts, flat.size))
    long = lengths >= 5
    owner = starts[long] // (line_count * (size + 1))
    return np.bincount(owner, weights=lengths[long] - 2, minlength=count).astype(np.int64)


def _block_penalties(candidates):
    """Rule 2: three points for every 2×2 block of one colour (overlapping blocks count)."""
    top_left = candidates[:, :-1, :-1]
    same = (
        (top_left == candidates[:, :-1, 1:])
        & (top_left == candidates[:, 1:, :-1])
        & (top_left == candidates[:, 1:, 1:])
    )
    return 3 * same.sum(axis=(1, 2))


def _finder_penalties(lines):
    """Rule 3: forty points for every window of a row or column that looks like a finder."""
    # Each window's 11 modules as one number, built by doubling (2, 4, 8, then 8 + 3 modules
    # wide) rather than 11 shifts: fewer passes over the array.
    width = lines.shape[2] - FINDER_WIDTH + 1
    one = lines.astype(np.uint16)
    two = (one[:, :, :-1] << 1) | one[:, :, 1:]
    four = (two[:, :, :-2] << 2) | two[:, :, 2:]
    eight = (four[:, :, :-4] << 4) | four[:, :, 4:]
    three = (two[:, :, 8 : 8 + width] << 1) | one[:, :, 10 : 10 + width]
    windows = (eight[:, :, :width] << 3) | three
    found = (windows == FINDER_LIKE[0]) | (windows == FINDER_LIKE[1])
    return 40 * found.sum(axis=(1, 2))


def _balance_penalty(dark, size):
    """Rule 4: ten points per full 5 % the dark share strays from 50 % (qrcode's arithmetic)."""
    percent = float(dark) / (size**2)
    return int(abs(percent * 100 - 50) / 5) * 10


def best_mask_pattern(candidates):
    """The pattern (0–7) whose candidate scores lowest; candidates is (8, size, size) of 0/1."""
    size = candidates.shape[1]
    lines = _lines(candidates)
    scores = _run_penalties(lines) + _block_penalties(candidates) + _finder_penalties(lines)
    dark = candidates.sum(axis=(1, 2)).tolist()
    totals = [int(score) + _balance_penalty(d, size) for score, d in zip(scores, dark, strict=True)]
    return totals.index(min(totals))
