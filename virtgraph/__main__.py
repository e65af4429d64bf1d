"""``python -m virtgraph`` runs the command-line interface."""

from virtgraph.cli import main

main()
