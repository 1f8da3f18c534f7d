"""The portal's pages, one module per subject; each page is a builder registered with
`twins.page` (HTML and its `.json` twin)."""
