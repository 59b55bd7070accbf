"""fikir.storage."""
