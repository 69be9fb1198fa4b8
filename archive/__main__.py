"""`python -m archive` is `newsarchive`."""

from archive.cli import main

main()
