"""Entry script of the packaged app (PyInstaller needs a script, not an entry point)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
