"""HAS's current open-data layout, the BQSS (« Base sur la qualité et la sécurité des soins »):
every IQSS and certification result as long key / value lines, with a metadata file that
describes each key and an establishment file. See docs/formats.md (BQSS) for the layout and
where each fact comes from."""
