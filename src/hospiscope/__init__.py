"""hospiscope: measure, compare and explain the quality and efficiency of health establishments.

Layers, lowest first (a lower layer never imports a higher one):

    french, progress      French words written in several places; progress reporting
    geo, stats            reference geography and statistics, no project dependencies
    certification         HAS certification referential and visit-schedule rules (pure Python)
    sources               importers and file formats of the French public sources
    warehouse             the embedded DuckDB warehouse: schema, import runs, transactions
    peers                 exclusive stratifications and user-defined peer lists
    catalogue             indicator definitions (metadata + one pure computation each)
    engines               run the computations: DuckDB (default), Polars, Spark
    results               computed results with their uncertainty and provenance; summaries
    access                accounts, sessions, API tokens, the authorisation rule, review of
                          campaigns, audit trail, disclosure control (a SQLite file beside
                          the warehouse)
    demo                  the seeded demo generator (writes files in the real layouts)
    pipeline              import and compute steps shared by the CLI, the demo and benches
    reports               the national / regional bilan (HTML and PDF)
    cli                   the `hospiscope` command
"""

__version__ = "0.1.0"
