"""`python -m surveyor` runs the CLI."""

from surveyor.cli import main

main()
