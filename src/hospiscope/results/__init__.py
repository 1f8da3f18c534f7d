"""Results: computed values with their uncertainty and provenance, stored without ever
silently rewriting an earlier method version; and the summaries read from them."""
