"""The one place a merchant's QR code is drawn: the scan URL, its module matrix, PNG and SVG.

Error correction Q (25 % of the code may be lost) because posters hang in shop windows, get
sun-bleached, taped over and photographed at an angle; a quiet zone of 4 modules because the
standard asks for it and phone scanners struggle without it.

The symbol is built once as a numpy array (qr_symbol.py, module for module what qrcode draws)
and both files are written straight from it: the PNG by hand (one row per module, the next
rows as PNG's "same as above" filter, which deflate squeezes to nothing), the SVG as one path.
Bulk export draws tens of thousands of codes, so none of this goes through per-module loops.
"""

import struct
import zlib
from functools import lru_cache

import numpy as np
import qrcode
from django.conf import settings
from django.urls import reverse
from PIL import Image

from . import qr_symbol

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
QUIET_ZONE = 4
# 10 px a module: a 41-module code (version 4) is 410 px, still 2.5 px a module at 25 %,
# which scanners (and zxing in the tests) read reliably.
MODULE_PX = 10
# Bumped whenever the drawing changes, so cached images (by ETag) are refetched.
RENDER_VERSION = "2"
# zlib level 3: as small as Pillow's default level 6 was for these images, at a fifth of the time.
PNG_COMPRESS_LEVEL = 3
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_FILTER_NONE, PNG_FILTER_UP = 0, 2
SCAN_URL_PLACEHOLDER = "CODE"


def scan_url(code):
    """The address a poster's QR code opens: PORTAL_BASE_URL + /m/<code>/."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("merchants:scan", args=[code])


def scan_url_maker():
    """scan_url for many codes at once: the address is reversed once, then the code put in."""
    head, tail = scan_url(SCAN_URL_PLACEHOLDER).rsplit(SCAN_URL_PLACEHOLDER, 1)
    return lambda code: f"{head}{code}{tail}"


def qr_modules(url):
    """The symbol as a (size, size) bool array (True = dark), quiet zone included."""
    return qr_symbol.modules(url, ERROR_CORRECTION, QUIET_ZONE)


def qr_matrix(url):
    """Rows of booleans (True = dark), quiet zone included."""
    return qr_modules(url).tolist()


def _light_pixels(matrix, module_px):
    """One row per module row: True where the pixel is light, module_px pixels a module."""
    return np.repeat(~np.asarray(matrix, dtype=bool), module_px, axis=1)


def matrix_image(matrix, module_px=MODULE_PX):
    """A 1-bit Pillow image, module_px pixels a module."""
    return Image.fromarray(np.repeat(_light_pixels(matrix, module_px), module_px, axis=0))


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_from_matrix(matrix, module_px=MODULE_PX):
    """A 1-bit greyscale PNG, module_px pixels a module."""
    packed = np.packbits(_light_pixels(matrix, module_px), axis=1)  # 1 = white in PNG
    rows, row_bytes = packed.shape
    # Each module row is module_px scanlines: the first as it is, the rest "same as above".
    scanlines = np.zeros((rows, module_px, row_bytes + 1), dtype=np.uint8)
    scanlines[:, 0, 0] = PNG_FILTER_NONE
    scanlines[:, 0, 1:] = packed
    scanlines[:, 1:, 0] = PNG_FILTER_UP
    side = rows * module_px
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"".join(
        (
            PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(scanlines.tobytes(), PNG_COMPRESS_LEVEL)),
            _png_chunk(b"IEND", b""),
        )
    )


def qr_png_bytes(url, module_px=MODULE_PX):
    return png_from_matrix(qr_modules(url), module_px)


@lru_cache(maxsize=8)
def _path_pieces(size):
    """For a symbol size: "M<x> <y>h" per module, by y * size + x, and "<w>v1h-<w>z" by w."""
    starts = [f"M{x} {y}h" for y in range(size) for x in range(size)]
    runs = [f"{width}v1h-{width}z" for width in range(size + 1)]
    return starts, runs


def svg_path_data(matrix):
    """One path: a rectangle per horizontal run of dark modules, in module units."""
    matrix = np.asarray(matrix, dtype=bool)
    size = matrix.shape[1]
    # A light column on both sides; +1 where a run starts, -1 just past where it ends.
    padded = np.zeros((matrix.shape[0], size + 2), dtype=np.int8)
    padded[:, 1:-1] = matrix
    edges = np.diff(padded, axis=1).ravel()
    starts = np.flatnonzero(edges == 1)
    widths = (np.flatnonzero(edges == -1) - starts).tolist()
    rows, columns = np.divmod(starts, size + 1)
    start_pieces, run_pieces = _path_pieces(size)
    keys = (rows * size + columns).tolist()
    return "".join([start_pieces[k] + run_pieces[w] for k, w in zip(keys, widths, strict=True)])


def svg_from_matrix(matrix, title=""):
    size = len(matrix)
    title_element = f"<title>{_escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img">{title_element}'
        # The white square keeps the quiet zone white on any background.
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{svg_path_data(matrix)}"/></svg>'
    )


def qr_svg(url, title=""):
    """Standalone SVG markup (no XML prolog, so it can also be inlined in HTML)."""
    return svg_from_matrix(qr_modules(url), title=title)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
