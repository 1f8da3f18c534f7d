"""ISO_PTH — surgical-site infection after total hip replacement (non-fracture), O/E."""

from hospiscope.catalogue.definitions._iso_ortho import iso_indicator

INDICATOR = iso_indicator("ISO_PTH", "PTH", "prothèse totale de hanche")
