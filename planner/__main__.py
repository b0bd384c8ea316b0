"""``python -m planner`` is the same as the ``fteplan`` command."""

import sys

from planner.cli import main

sys.exit(main())
