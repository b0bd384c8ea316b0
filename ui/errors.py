"""The one error path: a plain message, expandable details and "Copy details".

Unexpected exceptions reach :func:`excepthook` (installed as ``sys.excepthook``
by :func:`install_excepthook`), expected ones (a file that cannot be used) are
shown with :func:`show_error`. Both use :class:`ErrorDialog`. With
``FTEPLAN_ERRORS_TO_LOG=1`` in the environment, or after
``set_errors_to_log(True)``, errors are logged instead of shown, so tests and
unattended runs never block on a dialog.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

ENV_ERRORS_TO_LOG = "FTEPLAN_ERRORS_TO_LOG"
UNEXPECTED_MESSAGE = (
    "Something unexpected went wrong. Your files have not been changed. "
    "If it happens again, use “Copy details” and send them to your IT support."
)

_errors_to_log: bool | None = None
_showing = False


def set_errors_to_log(flag: bool | None) -> None:
    """Log errors instead of showing dialogs (``None``: follow the environment variable)."""
    global _errors_to_log
    _errors_to_log = flag


def errors_to_log() -> bool:
    if _errors_to_log is not None:
        return _errors_to_log
    return os.environ.get(ENV_ERRORS_TO_LOG, "").strip().lower() in {"1", "true", "yes", "on"}


class ErrorDialog(QDialog):
    """A message in plain words; details (a path, a traceback) hidden until asked for."""

    def __init__(
        self,
        message: str,
        details: str = "",
        title: str = "FTE Planner",
        parent: QWidget | None = None,
        *,
        unexpected: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._message = message
        self._details = details

        icon = QLabel()
        kind = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if unexpected
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        icon.setPixmap(self.style().standardIcon(kind).pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        icon.setAccessibleName("Error" if unexpected else "Warning")

        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(360)
        self.message_label.setAccessibleName("Message")

        self.details_edit = QPlainTextEdit(details)
        self.details_edit.setReadOnly(True)
        self.details_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_edit.setAccessibleName("Details")
        self.details_edit.setMinimumHeight(160)
        self.details_edit.setVisible(False)

        buttons = QDialogButtonBox()
        self.details_button = QPushButton("Show &details")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(bool(details))
        self.details_button.toggled.connect(self._on_details_toggled)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.clicked.connect(self._on_copy)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_edit, 1)
        layout.addWidget(buttons)
        close.setFocus()

    def message(self) -> str:
        return self._message

    def details(self) -> str:
        return self._details

    def copy_text(self) -> str:
        return f"{self._message}\n\n{self._details}".strip() + "\n"

    def _on_details_toggled(self, shown: bool) -> None:
        self.details_edit.setVisible(shown)
        self.details_button.setText("Hide &details" if shown else "Show &details")
        self.adjustSize()

    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text())
        self.copy_button.setText("&Copied")


def show_error(
    parent: QWidget | None,
    message: str,
    details: str = "",
    title: str = "FTE Planner",
    *,
    unexpected: bool = False,
) -> None:
    """Show ``message`` in an :class:`ErrorDialog` (or log it, see :func:`errors_to_log`)."""
    global _showing
    if errors_to_log() or QApplication.instance() is None or _showing:
        log.error("%s: %s\n%s", title, message, details)
        return
    if threading.current_thread() is not threading.main_thread():
        log.error("%s: %s\n%s", title, message, details)
        return
    _showing = True
    try:
        ErrorDialog(message, details, title, parent, unexpected=unexpected).exec()
    finally:
        _showing = False


def format_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    from planner import __version__

    text = "".join(traceback.format_exception(exc_type, exc, tb))
    return f"FTE Planner {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n\n{text}"


def excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """``sys.excepthook``: unexpected errors become a dialog, never a crash."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = format_exception(exc_type, exc, tb)
    log.error("Unexpected error\n%s", details)
    try:
        show_error(
            QApplication.activeWindow(), UNEXPECTED_MESSAGE, details, "Unexpected error",
            unexpected=True,
        )
    except Exception:  # the dialog itself failed: the log line above is all we can do
        log.exception("Could not show the error dialog")


def install_excepthook(*, log_instead: bool | None = None) -> None:
    """Route unexpected exceptions to :func:`excepthook`; ``log_instead`` sets the flag."""
    if log_instead is not None:
        set_errors_to_log(log_instead)
    sys.excepthook = excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        # A dialog cannot be opened from a worker thread: log it; the worker reports failure.
        text = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        log.error("Unexpected error in a background thread\n%s", text)

    threading.excepthook = thread_hook
