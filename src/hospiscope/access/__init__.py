"""Who may see what: accounts, sessions and API tokens, the one authorisation rule, the review
and publication of campaigns, the audit trail and disclosure control (issue 10). Stored in the
access database, a SQLite file beside the warehouse (access/database.py); relations between
establishments, GHTs and regions read from the warehouse."""
