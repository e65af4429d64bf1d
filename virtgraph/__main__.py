"""``python -m virtgraph`` runs the command-line interface (through its fast lane, :mod:`virtgraph.fastlane`)."""

from virtgraph.fastlane import main

main()
