"""Demo content for ``manage.py load_demo``: a complete, realistic site built from nothing.

- ``content/``: the Chinese texts and figures, as plain Python data (no Django imports)
- ``images.py``: banner illustrations drawn locally with Pillow
- ``documents.py``: the attached report files (XLSX with openpyxl, a small PDF written by hand)
- ``users.py``: the demo accounts, with random passwords
- ``merchants.py``: a few hundred pledge merchants across Hunan, in every status
- ``disclosures.py``: three years of disclosed complaints, imported through the real importer;
  their rows come from ``disclosure_rows.py``, which ``bench/disclosures.py`` shares
- ``builder.py``: creating or updating pages idempotently, published through revisions
- ``loader.py``: runs the steps above in order and prints the summary
"""
