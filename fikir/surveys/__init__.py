"""Surveys: polls of several questions of different kinds, with simple skip rules."""
