"""Presentation mode: the current scenario as full-screen slides for a meeting.

One chart or panel per slide (title, headline figures, capacity and demand of
the team most at risk, the risk grid, savings against the MTFP target, the
cumulative net position, the FTE bridge and, with two or more scenarios, the
scenarios compared), in large type, dark on white for projectors
(:mod:`ui.presentation_style` says why), with nothing to edit.

Keys (as PowerPoint, so a presentation clicker works):

* next: Right, Down, Page Down, Space, Enter, N; previous: Left, Up, Page Up,
  Backspace, P; Home and End: first and last slide;
* B or . blacks the screen out, W or , whites it out; the same key brings the
  slide back, and so does any other key (which then does nothing else);
* S lists the scenarios (arrow keys and Enter, or their number); 1–5 show
  scenario 1–5 directly; the slide stays the same;
* Esc leaves presentation mode (the window closes and emits :attr:`closed`).

The window follows the project: when the shown scenario's results change the
slide on screen redraws (the others when next shown), with "Calculating…"
while the results are being worked out.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QPalette,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import QStackedLayout, QStackedWidget, QVBoxLayout, QWidget

from planner.presentation_kpis import footer_text, organisation_name, slide_keys
from ui.presentation_compare import CompareSlide
from ui.presentation_figures import KpiSlide
from ui.presentation_picker import ScenarioPicker
from ui.presentation_risk import RiskSlide
from ui.presentation_slides import (
    BridgeSlide,
    CapacitySlide,
    CumulativeSlide,
    SavingsSlide,
    Slide,
    SlideContext,
    TitleSlide,
    label,
)
from ui.presentation_style import (
    QUIET,
    SlideFonts,
    app_point_size,
    projector_palette,
    set_text_colour,
    sized,
    slide_fonts,
)
from ui.project_model import ProjectModel

_K = Qt.Key
NEXT_KEYS = frozenset({_K.Key_Right, _K.Key_Down, _K.Key_PageDown, _K.Key_Space, _K.Key_Return,
                       _K.Key_Enter, _K.Key_N})
PREVIOUS_KEYS = frozenset({_K.Key_Left, _K.Key_Up, _K.Key_PageUp, _K.Key_Backspace, _K.Key_P})
BLACK_KEYS = frozenset({_K.Key_B, _K.Key_Period})
WHITE_KEYS = frozenset({_K.Key_W, _K.Key_Comma})
NUMBER_KEYS = {_K.Key_1: 0, _K.Key_2: 1, _K.Key_3: 2, _K.Key_4: 3, _K.Key_5: 4}
BLANK_COLOURS = {"black": Qt.GlobalColor.black, "white": Qt.GlobalColor.white}


class PresentationWindow(QWidget):
    """Full-screen slides of one scenario of ``model`` at a time.

    Signals:
        closed(): the window was closed (Esc, or closed by the system).
    """

    closed = Signal()

    def __init__(self, model: ProjectModel, parent: QWidget | None = None, *,
                 organisation: str | None = None, made_on: dt.date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._model = model
        self._organisation = organisation
        self._made_on = made_on
        self._index = max(model.current_index(), 0)
        self._blank: str | None = None
        self._fonts: SlideFonts | None = None
        self._stale: set[str] = set()
        self._shown_name: str | None = None
        self._closed = False
        self.setWindowTitle("FTE Planner: presentation")
        self.setAccessibleName("Presentation")
        self.setPalette(projector_palette())
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.all_slides: dict[str, Slide] = {slide.key: slide for slide in (
            TitleSlide(), KpiSlide(), CapacitySlide(), RiskSlide(), SavingsSlide(),
            CumulativeSlide(), BridgeSlide(), CompareSlide())}
        self.stack = QStackedWidget()
        for slide in self.all_slides.values():
            self.stack.addWidget(slide)
        self._keys: list[str] = []
        self._slide = 0
        self.footer = label(name="Slide number and keys", wrap=False)
        set_text_colour(self.footer, QUIET)
        self.page = QWidget()
        self.page_layout = QVBoxLayout(self.page)
        self.page_layout.addWidget(self.stack, 1)
        self.page_layout.addWidget(self.footer)
        self.blank = QWidget()
        self.blank.setAutoFillBackground(True)
        self.blank.setAccessibleName("Blank screen: press B, W or any key to go back")
        self.screens = QStackedLayout(self)
        self.screens.addWidget(self.page)
        self.screens.addWidget(self.blank)
        self.picker = ScenarioPicker(self.page)
        self.picker.chosen.connect(self._on_picked)
        self.picker.dismissed.connect(self._on_picker_dismissed)
        for child in self.findChildren(QWidget):  # every key comes to the window…
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.picker.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # …or to the open list

        model.results_changed.connect(self._on_results_changed)
        model.scenario_changed.connect(self._on_results_changed)
        model.simulation_changed.connect(self._on_simulation_changed)
        model.scenarios_changed.connect(self._on_scenarios_changed)
        model.establishment_changed.connect(self._on_establishment_changed)
        self._on_scenarios_changed()

    # ----- starting ----------------------------------------------------------------------
    def start(self, screen: QScreen | None = None, size: QSize | None = None) -> None:
        """Show full screen on ``screen`` (default: the parent's, else the primary);
        with ``size``, show in a window of exactly that size instead (screenshots)."""
        self._closed = False
        if size is not None:
            self.resize(size)
            self.show()
        else:
            parent = self.parentWidget()
            screen = screen or (parent.screen() if parent is not None else None) \
                or QGuiApplication.primaryScreen()
            if screen is not None:
                self.setScreen(screen)
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    # ----- public --------------------------------------------------------------------------
    def slide_keys(self) -> list[str]:
        """The slides in order (``"title"``, ``"kpis"``, …, ``"compare"``)."""
        return list(self._keys)

    def slide_count(self) -> int:
        return len(self._keys)

    def current_slide(self) -> int:
        return self._slide

    def current_key(self) -> str:
        return self._keys[self._slide]

    def slide(self, key: str | None = None) -> Slide:
        return self.all_slides[key or self.current_key()]

    def shown_index(self) -> int:
        """The project position of the scenario shown."""
        return self._index

    def blank_colour(self) -> str | None:
        """``"black"`` or ``"white"`` while the screen is blanked, else None."""
        return self._blank

    def footer_text(self) -> str:
        return self.footer.text()

    def go_to(self, slide: int) -> None:
        """Show slide ``slide`` (0-based; clamped to the first and last)."""
        self._slide = min(max(slide, 0), len(self._keys) - 1)
        self._show_slide()

    def next_slide(self) -> None:
        self.go_to(self._slide + 1)

    def previous_slide(self) -> None:
        self.go_to(self._slide - 1)

    def show_scenario(self, index: int) -> bool:
        """Present scenario ``index`` on the same slide; False if there is none."""
        if not 0 <= index < len(self._model.scenarios):
            return False
        if index != self._index:
            self._index = index
            self._stale = set(self.all_slides)
            self._show_slide()
        return True

    def set_blank(self, colour: str | None) -> None:
        """Black (``"black"``), white (``"white"``) or back to the slide (None)."""
        self._blank = colour if colour in BLANK_COLOURS else None
        if self._blank is None:
            self.screens.setCurrentWidget(self.page)
            return
        pal = self.blank.palette()
        pal.setColor(QPalette.ColorRole.Window, BLANK_COLOURS[self._blank])
        self.blank.setPalette(pal)
        self.screens.setCurrentWidget(self.blank)

    def open_picker(self) -> None:
        """The list of scenarios (S)."""
        self.picker.open([s.name for s in self._model.scenarios], self._index)

    # ----- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == _K.Key_Escape:
            self.close()
        elif self._blank is not None:  # any key brings the slide back; B and W toggle
            colour = "black" if key in BLACK_KEYS else "white" if key in WHITE_KEYS else None
            self.set_blank(None if colour == self._blank else colour)
        elif key in NEXT_KEYS:
            self.next_slide()
        elif key in PREVIOUS_KEYS:
            self.previous_slide()
        elif key == _K.Key_Home:
            self.go_to(0)
        elif key == _K.Key_End:
            self.go_to(len(self._keys) - 1)
        elif key in BLACK_KEYS:
            self.set_blank("black")
        elif key in WHITE_KEYS:
            self.set_blank("white")
        elif key == _K.Key_S:
            self.open_picker()
        elif key in NUMBER_KEYS:
            self.show_scenario(NUMBER_KEYS[key])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _on_picked(self, index: int) -> None:
        self.show_scenario(index)
        self.setFocus()

    def _on_picker_dismissed(self) -> None:
        self.setFocus()

    # ----- following the model --------------------------------------------------------------
    def _on_results_changed(self, index: int) -> None:
        if index == self._index:
            self._stale = set(self.all_slides)
        else:
            self._stale.add("compare")
        self._refresh_if_stale()

    def _on_simulation_changed(self, _index: int) -> None:
        self._stale.add("compare")
        self._refresh_if_stale()

    def _on_establishment_changed(self, _establishment: object) -> None:
        self._stale = set(self.all_slides)
        self._refresh_if_stale()

    def _on_scenarios_changed(self) -> None:
        """Scenarios added, removed, renamed or moved: keep the shown one if it is there."""
        names = [s.name for s in self._model.scenarios]
        if self._shown_name in names:
            self._index = names.index(self._shown_name)
        self._index = min(max(self._index, 0), max(len(names) - 1, 0))
        current = self._keys[self._slide] if self._keys else "title"
        self._keys = slide_keys(len(names))
        self._slide = self._keys.index(current) if current in self._keys else \
            min(self._slide, len(self._keys) - 1)
        self._stale = set(self.all_slides)
        self._show_slide()

    # ----- drawing ---------------------------------------------------------------------------
    def _context(self) -> SlideContext:
        organisation = self._organisation if self._organisation is not None else \
            organisation_name(self._model.establishment)
        return SlideContext(self._model, self._index, organisation, self._made_on)

    def _show_slide(self) -> None:
        key = self.current_key()
        self.stack.setCurrentWidget(self.all_slides[key])
        self._stale.add(key)  # drawn below; cheap for the title, needed after a switch
        self._refresh_if_stale()
        scenario = self._model.scenario(self._index)
        self._shown_name = scenario.name if scenario is not None else None
        name = scenario.name if scenario is not None else "No scenario"
        self.footer.setText(footer_text(self._slide + 1, len(self._keys), name))
        self.setAccessibleName(f"Presentation of {name}")

    def _refresh_if_stale(self) -> None:
        """Draw the slide on screen if what it shows has changed (hidden: when shown)."""
        key = self.current_key() if self._keys else ""
        if key in self._stale and self.isVisible():
            self._stale.discard(key)
            self.all_slides[key].refresh(self._context())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._apply_fonts()
        self._refresh_if_stale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()
        self.picker.place()

    def _apply_fonts(self) -> None:
        fonts = slide_fonts(self.height(), self.logicalDpiY(), app_point_size())
        if fonts == self._fonts:
            return
        self._fonts = fonts
        m = fonts.margin
        self.page_layout.setContentsMargins(round(m * 1.5), m, round(m * 1.5), round(m * 0.5))
        self.page_layout.setSpacing(round(m * 0.5))
        self.footer.setFont(sized(self, fonts.small))
        self.picker.set_fonts(fonts)
        for slide in self.all_slides.values():
            slide.set_fonts(fonts)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted() and not self._closed:
            self._closed = True
            self.closed.emit()
