"""Scheduled work: which job runs when, guarded so that exactly one instance runs each period."""
