"""Alerts between digests: staff hear of new messages on a goal or region, and of sharp rises."""
