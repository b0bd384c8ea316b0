"""The import wizard, driven page by page as a user would, on the demo council and small files."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from planner import importer
from planner.bundled import demo_workbook
from planner.errors import Cancelled
from planner.import_preview import preview_sheet
from planner.mapping import load_profile
from planner.readers import open_workbook
from ui.import_preview_model import PreviewTableModel
from ui.import_wizard import ImportWizard

DEMO = Path(str(demo_workbook()))


@pytest.fixture
def make_wizard(qtbot, settings):
    made: list[ImportWizard] = []

    def make(path: Path | None = DEMO) -> ImportWizard:
        wizard = ImportWizard(settings, path)
        qtbot.addWidget(wizard)
        made.append(wizard)
        wizard.show()  # a wizard starts on its first page when shown
        return wizard

    yield make
    for wizard in made:
        wizard.import_page.runner.shutdown()


def run_import(qtbot, wizard: ImportWizard) -> None:
    """From the mapping page: Next, then wait for the background import to finish."""
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE
    wizard.next()
    assert wizard.currentId() == ImportWizard.IMPORT_PAGE
    page = wizard.import_page
    qtbot.waitUntil(lambda: not page.runner.is_running(), timeout=20000)


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_demo_council_imports_with_the_detected_columns(qtbot, make_wizard) -> None:
    wizard = make_wizard()
    page1 = wizard.file_page
    assert page1.sheet_combo.currentData() == "Establishment"
    assert page1.isComplete()
    wizard.next()
    page2 = wizard.mapping_page
    assert page2.isComplete() and page2.problems() == []
    assert page2.combos["post_id"].currentText() == "Post No"
    assert page2.combos["weekly_hours"].currentText() == "Contracted Hrs"
    assert page2.combos["age"].currentText() == "(not used)"
    assert page2.model.rowCount() == 20
    assert "row 4 of sheet 'Establishment'" in page2.about_label.text()
    run_import(qtbot, wizard)
    page3 = wizard.import_page
    assert page3.isComplete()
    # the same counts as `fteplan validate` of the demo: 0 errors, 1 warnings, 103 notes
    assert page3.summary_label.text() == "1,500 rows read, 1,499 loaded, 1 excluded."
    assert page3.quality.counts_text() == "0 errors, 1 warning, 103 info"
    assert page3.quality.model.rowCount() == 104
    assert wizard.establishment() is None  # nothing committed before Finish
    wizard.accept()
    est = wizard.establishment()
    assert est is not None and est.rows_loaded == 1499
    assert est.report.counts() == {"error": 0, "warning": 1, "info": 103}
    assert est.posts["employee_name"].iloc[0] == "Samuel Patel"
    assert wizard.sheet() == "Establishment"
    assert wizard.profile() is not None and wizard.profile().strict


def test_a_changed_mapping_changes_the_establishment(qtbot, make_wizard) -> None:
    wizard = make_wizard()
    wizard.next()
    page2 = wizard.mapping_page
    page2.set_choice("employee_name", None)
    page2.set_choice("post_title", "Team")
    assert page2.model.headerData(12, Qt.Orientation.Horizontal) == "Employee Name\n(not used)"
    assert page2.model.headerData(4, Qt.Orientation.Horizontal) == "Team\n→ Team, Post title"
    assert page2.samples["post_title"].text() == "Corporate Finance"
    run_import(qtbot, wizard)
    wizard.accept()
    est = wizard.establishment()
    assert est is not None
    assert est.posts["employee_name"].isna().all()
    assert (est.posts["post_title"] == est.posts["team"]).all()
    assert "employee_name" not in est.source.mapping
    assert est.source.mapping["post_title"] == "Team"


def test_missing_required_column_blocks_next_with_a_sentence(qtbot, make_wizard, tmp_path
                                                             ) -> None:
    path = write_csv(tmp_path / "no_fte.csv", [["Post ID", "Team", "Salary", "Notes"],
                                               ["A1", "Payroll", 30000, "x"],
                                               ["A2", "Payroll", 28000, "y"]])
    wizard = make_wizard(path)
    wizard.next()
    page2 = wizard.mapping_page
    assert not page2.isComplete()
    assert page2.problems() == [
        "FTE (or Weekly hours) is required: choose the header it comes from."]
    assert "FTE (or Weekly hours) is required" in page2.problems_label.text()
    assert not page2.problems_label.isHidden()
    page2.set_choice("team", None)
    assert len(page2.problems()) == 2
    page2.set_choice("team", "Team")
    page2.set_choice("fte", "Notes")  # the wrong column: the importer says so on page 3
    assert page2.isComplete()
    run_import(qtbot, wizard)
    page3 = wizard.import_page
    assert not page3.isComplete()
    assert page3.message.text().startswith("None of the 2 rows of no_fte.csv could be loaded")
    assert "Traceback" not in page3.message.text()
    assert not page3.retry_button.isHidden()
    wizard.back()
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE
    assert page2.combos["fte"].currentText() == "Notes"  # the choices are kept


def test_unusable_file_says_why_on_the_first_page(make_wizard, tmp_path) -> None:
    fake = tmp_path / "staff.xlsx"
    fake.write_text("Post ID,Team\nA1,Payroll\n", encoding="utf-8")
    wizard = make_wizard(fake)
    page1 = wizard.file_page
    assert "named like a spreadsheet but is not one" in page1.message.text()
    assert not page1.message.isHidden()
    wizard.next()
    assert wizard.currentId() == ImportWizard.FILE_PAGE
    page1.set_path(DEMO)
    assert page1.message.isHidden()
    wizard.next()
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE


def test_sheet_defaults_to_the_one_the_importer_would_choose(make_wizard, tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Read me first"
    staff = wb.create_sheet("Staff")
    for row in (["Post ID", "Team", "FTE", "Salary"], ["A1", "Payroll", 1, 30000]):
        staff.append(row)
    wb.save(tmp_path / "two.xlsx")
    wizard = make_wizard(tmp_path / "two.xlsx")
    page1 = wizard.file_page
    assert [page1.sheet_combo.itemText(i) for i in range(2)] == ["Notes", "Staff"]
    assert page1.sheet_combo.currentText() == "Staff"
    page1.sheet_combo.setCurrentIndex(0)
    wizard.next()  # the notes sheet has no header row: the planner's sentence, no page 2
    assert wizard.currentId() == ImportWizard.FILE_PAGE
    assert "Sheet 'Notes' of two.xlsx has no header row" in page1.message.text()


def test_profile_save_then_load_round_trips(make_wizard, tmp_path, settings) -> None:
    wizard = make_wizard()
    wizard.next()
    page2 = wizard.mapping_page
    page2.set_choice("employee_name", None)
    page2.set_choice("post_title", "Team")
    saved = page2.save_profile(tmp_path / "our export")
    assert saved == tmp_path / "our export.json"
    assert load_profile(saved).columns["post_title"] == ["Team"]
    chosen = dict(wizard.state.choices)
    page2.reset()
    assert page2.combos["employee_name"].currentText() == "Employee Name"
    assert page2.load_profile(saved)
    assert wizard.state.choices == {c: h for c, h in chosen.items() if h}
    assert page2.combos["employee_name"].currentText() == "(not used)"
    assert page2.combos["post_title"].currentText() == "Team"
    assert "'our export' applied" in page2.notice_label.text()
    assert settings.qsettings.value("import_wizard/profile_directory") == str(tmp_path)


def test_profile_that_does_not_fit_is_refused_with_its_reason(make_wizard, tmp_path) -> None:
    profile = tmp_path / "other.json"
    profile.write_text('{"name": "Other", "columns": {"fte": "Hours worked"}}', encoding="utf-8")
    wizard = make_wizard()
    wizard.next()
    page2 = wizard.mapping_page
    assert not page2.load_profile(profile)
    assert "The profile was not applied." in page2.notice_label.text()
    assert "'Hours worked'" in page2.notice_label.text()
    assert page2.combos["fte"].currentText() == "FTE"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert not page2.load_profile(tmp_path / "broken.json")
    assert "not valid JSON" in page2.notice_label.text()


def test_report_export_writes_the_counts(qtbot, make_wizard, tmp_path, monkeypatch) -> None:
    wizard = make_wizard()
    wizard.next()
    run_import(qtbot, wizard)
    page3 = wizard.import_page
    target = tmp_path / "quality"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "CSV file (*.csv)"))
    qtbot.mouseClick(page3.export_button, Qt.MouseButton.LeftButton)
    with (tmp_path / "quality.csv").open(encoding="utf-8-sig", newline="") as fh:
        severities = [r["Severity"] for r in csv.DictReader(fh)]
    assert (severities.count("Error"), severities.count("Warning"),
            severities.count("Note")) == (0, 1, 103)
    out = page3.export(tmp_path / "quality.xlsx")
    assert out is not None
    rows = list(openpyxl.load_workbook(out, read_only=True)["Data quality"]
                .iter_rows(values_only=True))
    cells = [[c for c in r if c is not None] for r in rows]
    assert ["Errors", 0] in cells and ["Warnings", 1] in cells and ["Notes", 103] in cells


def test_cancel_stops_the_import(qtbot, make_wizard, monkeypatch) -> None:
    started = threading.Event()

    def slow(path, *, sheet=None, mapping=None, state=None, as_at=None):
        started.set()
        while not state.is_cancelled():
            state.set_progress(0.3, "Reading cells…")
            threading.Event().wait(0.01)
        raise Cancelled()

    monkeypatch.setattr(importer, "load_establishment", slow)
    wizard = make_wizard()
    wizard.next()
    wizard.next()
    page3 = wizard.import_page
    assert started.wait(5)
    # 0.3 of the import, which is the first IMPORT_SHARE (0.85) of the bar: 255 of 1000
    qtbot.waitUntil(lambda: page3.progress.value() == 255, timeout=5000)
    assert not page3.cancel_button.isHidden()
    qtbot.mouseClick(page3.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page3.runner.is_running(), timeout=5000)
    assert "Import cancelled" in page3.status_label.text()
    assert not page3.isComplete()
    assert not page3.retry_button.isHidden()
    monkeypatch.undo()
    qtbot.mouseClick(page3.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page3.isComplete, timeout=20000)


def test_keyboard_enter_is_next_and_browse_remembers_the_folder(qtbot, make_wizard, settings,
                                                                monkeypatch) -> None:
    wizard = make_wizard(None)
    qtbot.waitExposed(wizard)
    page1 = wizard.file_page
    assert not page1.isComplete()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(DEMO), ""))
    page1.browse_button.click()
    assert settings.last_directory() == str(DEMO.parent)
    assert page1.sheet_combo.currentText() == "Establishment"
    page1.path_edit.setFocus()
    qtbot.keyClick(page1.path_edit, Qt.Key.Key_Return)
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE
    wizard.mapping_page.set_choice("skills", None)
    wizard.back()
    qtbot.keyClick(wizard.file_page.path_edit, Qt.Key.Key_Return)
    assert wizard.mapping_page.combos["skills"].currentText() == "(not used)"  # kept
    qtbot.keyClick(wizard.mapping_page.combos["post_id"], Qt.Key.Key_Return)
    assert wizard.currentId() == ImportWizard.IMPORT_PAGE
    qtbot.waitUntil(wizard.import_page.isComplete, timeout=20000)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.keyClick(wizard.import_page.quality.search_edit, Qt.Key.Key_Return)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.establishment() is not None


def test_cancelled_wizard_returns_nothing(qtbot, make_wizard) -> None:
    wizard = make_wizard()
    wizard.next()
    run_import(qtbot, wizard)
    wizard.reject()
    assert wizard.establishment() is None


def test_preview_model(qtmodeltester) -> None:
    model = PreviewTableModel()
    qtmodeltester.check(model)
    preview = preview_sheet(open_workbook(DEMO), "Establishment")
    model.set_preview(preview)
    model.set_targets({"Post No": ["Post ID"]})
    qtmodeltester.check(model)
    assert model.rowCount() == 20 and model.columnCount() == 22
    index = model.index(0, 0)
    assert model.data(index) == "P001019"
    assert model.data(index, PreviewTableModel.SortRole) == "P001019"
    assert model.headerData(0, Qt.Orientation.Vertical) == "5"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Post No\n→ Post ID"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Post Title\n(not used)"


def test_mapping_rows_reflow_into_one_block_when_narrow(qtbot, make_wizard) -> None:
    wizard = make_wizard()
    wizard.resize(1400, 900)
    wizard.next()
    grid = wizard.mapping_page.grid
    qtbot.waitUntil(lambda: grid.parts() == 2)
    wizard.resize(700, 900)
    qtbot.waitUntil(lambda: grid.parts() == 1)
    labels = [grid.combos[c].accessibleName() for c in ("fte", "grade")]
    assert labels == ["FTE comes from (required)", "Grade comes from"]
