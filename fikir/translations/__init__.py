"""Community translations of polls and updates: the files, their checks, and what is saved."""
