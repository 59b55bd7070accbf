"""Pseudonyms, the contact vault, redaction, suppression, erasure: what keeps participants safe."""
