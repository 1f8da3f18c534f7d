"""e-Satis patient questionnaires (HAS): item catalogue and the response file layout."""
