"""`python -m bot` is the `briefbot` command."""

import sys

from bot.cli import main

# Guarded: a worker process (bot/workers.py) is spawned by running this module again under another name.
if __name__ == "__main__":
    sys.exit(main())
