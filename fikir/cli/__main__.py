"""`python -m fikir.cli …`, as the tests and benches start the service."""

from fikir.cli import main

main()
