"""The bulk export's worker: a merchant's ``<code>.png`` and ``<code>.svg`` written to a folder.

Its own module, importing no models, so a worker process needs nothing of Django set up: under
fork it inherits the parent, under spawn (macOS, newer Pythons) it imports only this and qr.py.
"""

import os

from . import qr


def file_names(code):
    return f"{code}.png", f"{code}.svg"


def _write(path, data):
    # os.open/os.write: pathlib's and io's layers cost more than drawing a code's PNG does.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def render_files(out_dir, items):
    """Write ``<code>.png`` and ``<code>.svg`` for each (code, url); return the count."""
    for code, url in items:
        matrix = qr.qr_modules(url)  # built once, both files drawn from it
        png_name, svg_name = file_names(code)
        _write(os.path.join(out_dir, png_name), qr.png_from_matrix(matrix))
        _write(os.path.join(out_dir, svg_name), qr.svg_from_matrix(matrix, title=url).encode())
    return len(items)
