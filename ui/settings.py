"""User settings (window geometry, recent files, last folder) in one small wrapper.

By default Qt chooses the place (the registry on Windows, an .ini file
elsewhere). Tests and portable installs can point it at a file, either by
passing ``path`` or with the ``FTEPLAN_SETTINGS_FILE`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ENV_SETTINGS_FILE = "FTEPLAN_SETTINGS_FILE"
ORGANISATION = "FTE Planner"
APPLICATION = "FTE Planner"
MAX_RECENT = 8


class Settings:
    """Typed access to the few things the app remembers between sessions."""

    def __init__(self, path: str | Path | None = None) -> None:
        path = path or os.environ.get(ENV_SETTINGS_FILE) or None
        if path:
            self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qsettings = QSettings(
                QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
            )

    @property
    def qsettings(self) -> QSettings:
        return self._qsettings

    def file_name(self) -> str:
        return self._qsettings.fileName()

    def sync(self) -> None:
        self._qsettings.sync()

    # -- main window -----------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._qsettings.value("main_window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self._qsettings.setValue("main_window/geometry", geometry)

    def window_state(self) -> QByteArray | None:
        value = self._qsettings.value("main_window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, state: QByteArray) -> None:
        self._qsettings.setValue("main_window/state", state)

    # -- files -------------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self._qsettings.value("files/recent", [])
        if isinstance(value, str):  # QSettings returns a bare string for a one-item list
            value = [value]
        return [str(v) for v in (value or []) if v][:MAX_RECENT]

    def add_recent_file(self, path: str | Path) -> None:
        text = str(Path(path))
        files = [f for f in self.recent_files() if os.path.normcase(f) != os.path.normcase(text)]
        self._qsettings.setValue("files/recent", [text, *files][:MAX_RECENT])

    def clear_recent_files(self) -> None:
        self._qsettings.setValue("files/recent", [])

    def last_directory(self) -> str:
        value = self._qsettings.value("files/last_directory", "")
        return str(value) if value else str(Path.home())

    def set_last_directory(self, directory: str | Path) -> None:
        self._qsettings.setValue("files/last_directory", str(directory))

    # -- appearance --------------------------------------------------------------------------

    def theme(self) -> str | None:
        """"light", "dark", or None (not chosen yet: follow the system)."""
        value = self._qsettings.value("view/theme", "")
        return str(value) if value in ("light", "dark") else None

    def set_theme(self, theme: str) -> None:
        self._qsettings.setValue("view/theme", theme)

    def recovery_folder(self) -> Path | None:
        """Where autosaved recovery files go, if set (tests and portable installs)."""
        value = self._qsettings.value("files/recovery_folder", "")
        return Path(str(value)) if value else None
