"""File ▸ Export board pack / Export workbook and View ▸ Presentation mode, from the menus."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from tests.ui.conftest import demo_establishment
from ui.export_dialog import ExportDialog


@pytest.fixture
def demo_window(window, qtbot):
    window.load_demo_now(demo_establishment())
    model = window.model
    qtbot.waitUntil(lambda: all(model.results(i) is not None
                                for i in range(len(model.scenarios))), timeout=30_000)
    return window


def accept_dialog(monkeypatch: pytest.MonkeyPatch, ticks: list[int] | None = None,
                  anonymise: bool = True) -> list[ExportDialog]:
    shown: list[ExportDialog] = []

    def exec_(self: ExportDialog) -> int:
        shown.append(self)
        if ticks is not None:
            for i in range(self.scenario_list.count()):
                self.scenario_list.item(i).setCheckState(
                    Qt.CheckState.Checked if i in ticks else Qt.CheckState.Unchecked)
        self.anonymise.setChecked(anonymise)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", exec_)
    return shown


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def test_board_pack_from_the_menu_covers_the_ticked_scenarios(
        demo_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shown = accept_dialog(monkeypatch, ticks=[0, 2])
    target = tmp_path / "pack.pdf"
    save_as(monkeypatch, target)
    demo_window.export_pack_action.trigger()
    assert shown and shown[0].chosen() == [0, 2]
    assert target.read_bytes().startswith(b"%PDF")
    assert "Saved the board pack" in demo_window.status_label.text()
    names = [demo_window.model.scenarios[i].name for i in (0, 1, 2)]
    try:
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                              check=True).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    flat = " ".join(text.split())
    assert names[0] in flat and names[2] in flat and names[1] not in flat


def test_default_ticks_are_the_compare_ticks_else_the_current_scenario(demo_window) -> None:
    exporter = demo_window.exporter
    demo_window.model.set_current(1)
    compare = demo_window.workspace.compare_view
    compare.set_ticked([])
    assert exporter.default_ticks() == [1]
    compare.set_ticked([0, 2])
    assert exporter.default_ticks() == [0, 2]


def test_export_dialog_needs_one_to_five_scenarios(qtbot) -> None:
    dialog = ExportDialog("Export", "intro", [f"S{i}" for i in range(7)], [0])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.chosen() == [0]
    for i in range(6):
        dialog.scenario_list.item(i).setCheckState(Qt.CheckState.Checked)
    assert not ok.isEnabled() and "at most 5" in dialog.message.text()
    for i in range(6):
        dialog.scenario_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not ok.isEnabled() and "at least one" in dialog.message.text()
    assert dialog.anonymise.isChecked()  # anonymised unless the user says otherwise


def test_cancelled_export_writes_nothing(demo_window, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    save_as(monkeypatch, tmp_path / "never.pdf")
    demo_window.export_pack_action.trigger()
    assert not (tmp_path / "never.pdf").exists()


def test_presentation_mode_from_the_view_menu(demo_window, qtbot) -> None:
    assert demo_window.present_action.shortcut().toString() == "F5"
    demo_window.present_action.trigger()
    shown = demo_window.presentation
    assert shown is not None and shown.isVisible()
    with qtbot.waitSignal(shown.closed, timeout=5000):
        qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert demo_window.presentation is None


def test_workbook_from_the_menu_is_anonymised_with_a_compare_sheet(
        demo_window, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    accept_dialog(monkeypatch, ticks=[0, 1], anonymise=True)
    target = tmp_path / "book.xlsx"
    save_as(monkeypatch, target)
    with qtbot.waitSignal(demo_window.exporter.runner.finished, timeout=60_000):
        demo_window.export_workbook_action.trigger()
    book = load_workbook(target, read_only=True)
    assert book.sheetnames[0] == "Compare"
    first = [str(c) for row in book["1 Summary"].iter_rows(max_row=6, values_only=True)
             for c in row if c]
    assert any("Anonymised" in text for text in first)
    assert "Saved the workbook" in demo_window.status_label.text()


def test_one_scenario_workbook_with_names_when_asked(
        demo_window, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    accept_dialog(monkeypatch, ticks=[2], anonymise=False)
    target = tmp_path / "one.xlsx"
    save_as(monkeypatch, target)
    with qtbot.waitSignal(demo_window.exporter.runner.finished, timeout=60_000):
        demo_window.export_workbook_action.trigger()
    book = load_workbook(target, read_only=True)
    assert "Compare" not in book.sheetnames and book.sheetnames[0] == "Summary"
    first = [str(c) for row in book["Summary"].iter_rows(max_row=6, values_only=True)
             for c in row if c]
    assert any("Contains personal data" in text for text in first)


def test_a_second_workbook_export_waits_for_the_first(
        demo_window, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    accept_dialog(monkeypatch, ticks=[0, 1])
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    save_as(monkeypatch, first)
    with qtbot.waitSignal(demo_window.exporter.runner.finished, timeout=60_000):
        demo_window.export_workbook_action.trigger()
        save_as(monkeypatch, second)
        demo_window.export_workbook_action.trigger()  # while the first is being written
        assert "Still saving first.xlsx" in demo_window.status_label.text()
    assert first.exists() and not second.exists()


def test_closing_finishes_a_workbook_being_written(
        demo_window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    accept_dialog(monkeypatch, ticks=[0, 1, 2])
    target = tmp_path / "closing.xlsx"
    save_as(monkeypatch, target)
    demo_window.export_workbook_action.trigger()
    assert demo_window.exporter.runner.is_running()
    demo_window.model.undo_stack.setClean()
    demo_window.close()
    assert target.exists()


def test_save_name_gets_its_suffix(demo_window, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    accept_dialog(monkeypatch, ticks=[0])
    save_as(monkeypatch, tmp_path / "pack")
    demo_window.export_pack_action.trigger()
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
