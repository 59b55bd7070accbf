"""fikir.outbox."""
