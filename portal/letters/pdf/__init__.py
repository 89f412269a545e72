"""The letter engine's PDF machinery: variable-data overlays on laid-out templates, font
subsets, QR symbols and a streaming PDF writer. Imports neither Flask nor the database.

It reads internals of WeasyPrint (laid-out boxes) and pypdf (stored stream data): the
versions in pyproject.toml are pinned to the ones it was proven with, and
tests/letters/test_pdf_internals.py fails when an upgrade changes what it reads.
"""
