"""Packaged reference data (see ATTRIBUTION.md)."""
