"""The command-line layer: parsing and rendering only; actions do the work."""
