"""fikir.digest."""
