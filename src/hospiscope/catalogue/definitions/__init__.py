"""One module per indicator; each defines `INDICATOR`. Modules starting with `_` hold shared
building blocks."""
