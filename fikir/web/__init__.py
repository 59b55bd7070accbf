"""fikir.web."""
