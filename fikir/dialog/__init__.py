"""fikir.dialog."""
