"""fikir.bot."""
