"""Write an export beside its target and move it into place (one copy for every export).

``os.replace`` is atomic on one volume, Windows included, so readers see the old file or the
new one, never a partial file; a failed export leaves the previous file as it was. On
Windows a file open in another program cannot be replaced: that PermissionError becomes a
sentence asking the user to close it. (Project files have their own, stricter writer in
``project_file.py``: flushed to disk, private permissions for recovery copies.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from planner.errors import PlannerError


def replace_atomically(path: Path, write: Callable[[Path], None], *, open_in: str) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``path``.

    Args:
        path: the file to create or replace.
        write: writes the whole content to the temporary path it is given.
        open_in: the program that may hold the file open, for the message ("Excel").

    Raises:
        PlannerError: the folder cannot be written to, or the file is open elsewhere.
    """
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PlannerError(f"Could not write '{path.name}': the folder {path.parent} cannot "
                           f"be written to ({exc.strerror or exc}).") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except PermissionError as exc:
        raise PlannerError(f"Could not write '{path.name}': is it open in {open_in}? "
                           "Close it and try again.") from exc
    except OSError as exc:
        raise PlannerError(f"Could not write '{path.name}': {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
