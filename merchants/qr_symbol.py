"""A QR symbol as a numpy array of modules: exactly the modules qrcode would draw, built fast.

qrcode builds a symbol with Python loops: bit by bit into a buffer, Reed–Solomon with
polynomial objects, the data placed cell by cell, and, to choose the mask, the whole symbol
drawn and scored eight times; about 5 ms a code, and a province's export draws tens of
thousands. Here everything that depends only on the version is computed once and cached: the
function patterns, the cells the data bits go to, the eight masks, the format bits, and the
Reed–Solomon parity each byte value adds at each position (parity is linear, so a block's
parity is the XOR of its bytes' rows). A code then costs a few array operations.

qrcode remains the reference: it still splits the text into segments (numeric, alphanumeric,
bytes) and draws the function patterns for the tables; tests/test_merchant_qr.py compares
whole symbols with qrcode's own ``get_matrix()``.
"""

from bisect import bisect_left
from functools import lru_cache

import numpy as np
import qrcode
from qrcode import LUT, base, util

from . import qr_mask

# Text segments become codewords the way qrcode.QRCode.add_data (optimize=20) splits them.
SEGMENT_MINIMUM = 20


class _Bits:
    """The ``put(number, length)`` qrcode's segments write into, on one Python integer."""

    def __init__(self):
        self.value = 0
        self.length = 0

    def put(self, number, length):
        self.value = (self.value << length) | number
        self.length += length

    def put_bytes(self, data):
        self.value = (self.value << (8 * len(data))) | int.from_bytes(data, "big")
        self.length += 8 * len(data)


def _write_segments(segments, version):
    bits = _Bits()
    sizes = util.mode_sizes_for_version(version)
    for segment in segments:
        bits.put(segment.mode, 4)
        bits.put(len(segment), sizes[segment.mode])
        if segment.mode == util.MODE_8BIT_BYTE:
            bits.put_bytes(segment.data)
        else:
            segment.write(bits)
    return bits


def _fit_version(segments, error_correction, start=1):
    """The smallest version that holds the segments, as qrcode.QRCode.best_fit finds it."""
    needed = _write_segments(segments, start).length
    version = bisect_left(util.BIT_LIMIT_TABLE[error_correction], needed, start)
    if version == 41:
        raise qrcode.exceptions.DataOverflowError()
    if util.mode_sizes_for_version(start) is not util.mode_sizes_for_version(version):
        return _fit_version(segments, error_correction, version)
    return version


def _data_codewords(segments, version, error_correction):
    """Segments, terminator and padding as bytes, as qrcode.util.create_data assembles them."""
    bits = _write_segments(segments, version)
    limit = util.BIT_LIMIT_TABLE[error_correction][version]
    if bits.length > limit:
        raise qrcode.exceptions.DataOverflowError()
    bits.put(0, min(limit - bits.length, 4))
    bits.put(0, -bits.length % 8)
    data = bits.value.to_bytes(bits.length // 8, "big")
    padding = bytes([util.PAD0, util.PAD1]) * ((limit // 8 - len(data)) // 2 + 1)
    return data + padding[: limit // 8 - len(data)]


# --- Reed–Solomon ------------------------------------------------------------------------

_EXP = np.array([base.gexp(i) for i in range(255)], dtype=np.int64)
_LOG = np.zeros(256, dtype=np.int64)
_LOG[_EXP] = np.arange(255)


def _generator(ec_count):
    if ec_count in LUT.rsPoly_LUT:
        return list(LUT.rsPoly_LUT[ec_count])
    poly = base.Polynomial([1], 0)
    for i in range(ec_count):
        poly = poly * base.Polynomial([1, base.gexp(i)], 0)
    return [poly[i] for i in range(len(poly))]


@lru_cache(maxsize=64)
def _parity_table(data_count, ec_count):
    """(data_count, 256, ec_count): the parity byte value v at position i contributes."""
    generator = _generator(ec_count)
    unit = np.zeros((data_count, ec_count), dtype=np.int64)
    for position in range(data_count):
        # Division of x^(data_count - 1 - position + ec_count) by the generator (an LFSR).
        remainder = [0] * ec_count
        for k in range(data_count):
            feedback = (1 if k == position else 0) ^ remainder[0]
            remainder = remainder[1:] + [0]
            if feedback:
                log_feedback = base.glog(feedback)
                for j in range(ec_count):
                    if generator[j + 1]:
                        remainder[j] ^= base.gexp(log_feedback + base.glog(generator[j + 1]))
        unit[position] = remainder
    values = np.arange(256)
    product = _EXP[(_LOG[values][None, :, None] + _LOG[unit][:, None, :]) % 255]
    nonzero = (values[None, :, None] != 0) & (unit[:, None, :] != 0)
    return np.where(nonzero, product, 0).astype(np.uint8)


@lru_cache(maxsize=64)
def _blocks(version, error_correction):
    """Per block (start, data count, parity table), and the interleaving order of codewords."""
    blocks, start = [], 0
    for block in base.rs_blocks(version, error_correction):
        ec_count = block.total_count - block.data_count
        blocks.append((start, block.data_count, _parity_table(block.data_count, ec_count)))
        start += block.data_count
    data_total = start
    # Codewords go out column by column over the blocks: data first, then parity.
    data_positions = [[s + i for i in range(n)] for s, n, _ in blocks]
    parity_positions, offset = [], data_total
    for _, _, table in blocks:
        parity_positions.append(list(range(offset, offset + table.shape[2])))
        offset += table.shape[2]
    order = []
    for groups in (data_positions, parity_positions):
        for i in range(max(map(len, groups))):
            order.extend(group[i] for group in groups if i < len(group))
    return tuple(blocks), np.array(order, dtype=np.intp)


def _codewords(data, version, error_correction):
    blocks, order = _blocks(version, error_correction)
    data = np.frombuffer(data, dtype=np.uint8)
    parts = [data]
    for start, count, table in blocks:
        rows = table[np.arange(count), data[start : start + count]]
        parts.append(np.bitwise_xor.reduce(rows, axis=0))
    return np.concatenate(parts)[order]


# --- placement ---------------------------------------------------------------------------


def _function_patterns(version, error_correction, mask_pattern):
    """qrcode's own drawing of the fixed patterns; mask_pattern None = as while testing masks."""
    code = qrcode.QRCode(version=version, error_correction=error_correction)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    testing = mask_pattern is None
    code.setup_type_info(testing, 0 if testing else mask_pattern)
    if version >= 7:
        code.setup_type_number(testing)
    return code.modules


def _placement_order(template):
    """Flat indices of the data cells in the order qrcode's map_data fills them."""
    size = len(template)
    order, row, step = [], size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:  # the vertical timing pattern is skipped
            col -= 1
        while True:
            for c in (col, col - 1):
                if template[row][c] is None:
                    order.append(row * size + c)
            row += step
            if row < 0 or row >= size:
                row -= step
                step = -step
                break
    return np.array(order, dtype=np.intp)


@lru_cache(maxsize=64)
def _layout(version, error_correction):
    """Per version: size, data cells, the symbol while testing, eight masks, final patterns."""
    testing = _function_patterns(version, error_correction, None)
    size = len(testing)
    cells = _placement_order(testing)
    blank = np.array([[bool(m) for m in row] for row in testing], dtype=np.uint8).ravel()
    rows, cols = np.divmod(cells, size)
    masks = np.zeros((8, size * size), dtype=np.uint8)
    finals = np.zeros((8, size * size), dtype=np.uint8)
    for pattern in range(8):
        applies = util.mask_func(pattern)
        masks[pattern, cells] = [
            applies(r, c) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
        drawn = _function_patterns(version, error_correction, pattern)
        finals[pattern] = np.array([[bool(m) for m in row] for row in drawn]).ravel()
    is_data = np.zeros(size * size, dtype=bool)
    is_data[cells] = True
    return size, cells, blank, masks, finals, is_data


def modules(text, error_correction, border):
    """The symbol for ``text`` as a (size, size) bool array, True = dark, with the quiet zone."""
    segments = list(util.optimal_data_chunks(text, minimum=SEGMENT_MINIMUM))
    version = _fit_version(segments, error_correction)
    data = _data_codewords(segments, version, error_correction)
    codewords = _codewords(data, version, error_correction)
    size, cells, blank, masks, finals, is_data = _layout(version, error_correction)
    bits = np.zeros(len(cells), dtype=np.uint8)  # remainder bits past the codewords are 0
    unpacked = np.unpackbits(codewords)
    bits[: len(unpacked)] = unpacked[: len(cells)]
    unmasked = blank.copy()
    unmasked[cells] = bits
    candidates = (unmasked[None, :] ^ masks).reshape(8, size, size)
    pattern = qr_mask.best_mask_pattern(candidates)
    symbol = np.where(is_data, candidates[pattern].ravel(), finals[pattern]).reshape(size, size)
    framed = np.zeros((size + 2 * border, size + 2 * border), dtype=bool)
    framed[border : border + size, border : border + size] = symbol
    return framed
