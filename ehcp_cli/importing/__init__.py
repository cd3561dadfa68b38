"""Bulk import of a caseload from CSV: reading the file, checking each row, preparing the rows.

Pure of storage and terminal concerns; `actions/importer.py` runs it in one transaction.
"""
