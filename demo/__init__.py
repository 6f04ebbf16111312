"""Demo content for ``manage.py load_demo``: a complete, realistic site built from nothing.

- ``content/``: the Chinese texts and figures, as plain Python data (no Django imports)
- ``images.py``: banner illustrations drawn locally with Pillow
- ``documents.py``: the attached report files (XLSX with openpyxl, a small PDF written by hand)
- ``users.py``: the demo accounts, with random passwords
- ``content/trades.py``: what each trade sells and is complained about, read by the two below
- ``merchants.py``: a few hundred pledge merchants across Hunan, in every status
- ``disclosures.py``: three years of disclosed complaints that fit the trade they name, each
  made from its complaint number alone, imported through the real importer
- ``disclosure_rows.py``: rows of the import format for the benchmarks (``bench/``)
- ``builder.py``: creating or updating pages idempotently, published through revisions
- ``loader.py``: runs the steps above in order and prints the summary
"""
