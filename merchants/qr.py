"""The one place a merchant's QR code is drawn: the scan URL, its module matrix, PNG and SVG.

Error correction Q (25 % of the code may be lost) because posters hang in shop windows, get
sun-bleached, taped over and photographed at an angle; a quiet zone of 4 modules because the
standard asks for it and phone scanners struggle without it.
"""

import io

import qrcode
from django.conf import settings
from django.urls import reverse
from PIL import Image
from qrcode import util

from . import qr_mask

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
QUIET_ZONE = 4
# 10 px a module: a 41-module code (version 4) is 410 px, still 2.5 px a module at 25 %,
# which scanners (and zxing in the tests) read reliably.
MODULE_PX = 10
# Bumped whenever the drawing changes, so cached images (by ETag) are refetched.
RENDER_VERSION = "1"


def scan_url(code):
    """The address a poster's QR code opens: PORTAL_BASE_URL + /m/<code>/."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("merchants:scan", args=[code])


def qr_matrix(url):
    """Rows of booleans (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=1)
    code.add_data(url)
    code.best_fit()
    code.data_cache = util.create_data(code.version, code.error_correction, code.data_list)
    # qrcode would draw the symbol eight times to pick the mask; qr_mask picks the same one
    # without drawing (see there), and qrcode then draws the chosen symbol once.
    code.mask_pattern = qr_mask.best_mask_pattern(code.version, code.data_cache)
    code.make(fit=False)
    return code.get_matrix()


def matrix_image(matrix, module_px=MODULE_PX):
    """A 1-bit Pillow image: one pixel per module, scaled up without blurring."""
    size = len(matrix)
    # In mode "L" 0 is black; every module becomes one byte, then NEAREST keeps edges sharp.
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    if module_px != 1:
        image = image.resize((size * module_px, size * module_px), Image.Resampling.NEAREST)
    return image.convert("1", dither=Image.Dither.NONE)


def png_from_matrix(matrix, module_px=MODULE_PX):
    buffer = io.BytesIO()
    # optimize=False: the optimiser tries every filter for a few bytes on a 1-bit image.
    matrix_image(matrix, module_px).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def qr_png_bytes(url, module_px=MODULE_PX):
    return png_from_matrix(qr_matrix(url), module_px)


def svg_path_data(matrix):
    """One path: a rectangle per horizontal run of dark modules, in module units."""
    parts = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


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
    return svg_from_matrix(qr_matrix(url), title=title)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
