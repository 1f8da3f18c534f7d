"""ISO_PTG — surgical-site infection after total knee replacement, O/E."""

from hospiscope.catalogue.definitions._iso_ortho import iso_indicator

INDICATOR = iso_indicator("ISO_PTG", "PTG", "prothèse totale de genou")
