"""Reports: the national / regional bilan (HTML and PDF), rendered from results only."""
