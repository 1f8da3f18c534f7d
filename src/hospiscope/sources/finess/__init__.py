"""The FINESS establishment registry: numbers, layouts, normalised records."""
