"""``fteplan validate`` and ``fteplan demo`` against the DESIGN §7 contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

GOOD = ("Post ID,Team,FTE,Salary,Directorate\n"
        "1,Revenues,1,30000,Resources\n2,Revenues,0.5,30000,Resources\n")
WITH_EXCLUDED = GOOD + "3,Revenues,0,30000,Resources\n"


def write(tmp_path: Path, text: str, name: str = "e.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_validate_text_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "2 rows read, 2 loaded, 0 excluded" in out
    assert "£45,000" in out  # 1 × 30,000 + 0.5 × 30,000


def test_validate_exit_1_when_rows_excluded(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, WITH_EXCLUDED))]) == 1
    out = capsys.readouterr().out
    assert "3 rows read, 2 loaded, 1 excluded" in out
    assert "row 4, column 'FTE'" in out


def test_validate_json_is_one_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, WITH_EXCLUDED)), "--json"]) == 1
    out = capsys.readouterr().out
    data = json.loads(out)  # exactly one object: json.loads fails on trailing text
    assert (data["rows_read"], data["rows_loaded"], data["rows_excluded"]) == (3, 2, 1)
    assert data["fte_filled"] == 1.5 and data["fte_vacant"] == 0
    assert data["annual_pay_bill"] == 45000
    assert data["issue_counts"]["error"] == 1
    issue = next(i for i in data["issues"] if i["severity"] == "error")
    assert (issue["row"], issue["column"], issue["value"]) == (4, "FTE", "0")
    assert data["exit_code"] == 1


def test_validate_unusable_exit_2_one_sentence(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().count("\n") == 0 and "binary data" in captured.err
    assert "Traceback" not in captured.err
    assert main(["validate", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["exit_code"] == 2


def test_debug_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing.csv"), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_sheet_and_mapping_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "Ref,Section,FTE,Pay\nA,Legal,1,40000\n")
    profile = tmp_path / "m.json"
    profile.write_text(json.dumps({"columns": {"post_id": "Ref", "team": "Section",
                                               "annual_salary": "Pay"}}))
    assert main(["validate", str(path), "--mapping", str(profile), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mapping"]["team"] == "Section" and data["annual_pay_bill"] == 40000


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(write(tmp_path, GOOD)), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts"] == 2


def test_demo_prints_the_establishment_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo Borough Council" in out and "rows read" in out
    assert main(["demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert 1450 <= data["posts"] <= 1550


def test_gui_command_starts_the_registered_frontend(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    import importlib.metadata as md

    opened: list[str | None] = []

    class FakeEntryPoint:
        name = "gui"

        def load(self):
            return lambda path: opened.append(path) or 0

    monkeypatch.setattr(md, "entry_points", lambda group: [FakeEntryPoint()])
    assert main(["gui", str(tmp_path / "x.xlsx")]) == 0
    assert opened == [str(tmp_path / "x.xlsx")]


def test_gui_is_registered_as_an_entry_point() -> None:
    import importlib.metadata as md

    names = {ep.name: ep.value for ep in md.entry_points(group="fteplan.frontends")}
    assert names == {"gui": "ui.app:run_gui",
                     "board_pack_pdf": "ui.board_pack_pdf:write_board_pack_pdf",
                     "chart_pngs": "ui.board_pack_pdf:write_chart_pngs"}, \
        "reinstall with 'python -m pip install -e .'"


def test_demo_out_writes_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "out"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    written = Path(data["written"][0])
    assert json.loads(written.read_text(encoding="utf-8"))["posts"] == data["posts"]
    names = {Path(w).name for w in data["written"]}
    assert {"demo_comparison.xlsx", "demo_board_pack.pdf"} <= names  # DESIGN §7
    assert (tmp_path / "out" / "demo_board_pack.pdf").read_bytes().startswith(b"%PDF")
    charts = [Path(w) for w in data["written"] if w.endswith(".png")]
    assert len(charts) >= 5 and all(c.parent.name == "charts" for c in charts)


# ----------------------------------------------------------------- run, redundancy, demo

SCENARIO = {
    "schema_version": 1, "name": "Cut one", "horizon": {"start": "2027-04", "months": 24},
    "assumptions": {"pay_award_pct": 0},
    "natural_wastage": {"annual_turnover_pct": 0},
    "actions": [{"type": "delete_posts", "month": "2027-10", "select": {"post_ids": ["1"]}}],
}


def test_run_json_reports_the_savings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    code = main(["run", str(write(tmp_path, GOOD)), "--scenario", str(scenario), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    # Post 1 (1 FTE at £30,000) goes from October: 18 months × £3,307.50.
    assert data["kpis"]["total_saving"] == pytest.approx(18 * 3_307.50)
    assert data["kpis"]["full_year"] == "2028/29"
    assert next(s["step"] for s in data["bridge"]) == "Start (in post)"
    assert data["establishment"]["rows_loaded"] == 2 and data["exit_code"] == 0


def test_run_text_and_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    out = tmp_path / "report.xlsx"
    assert main(["run", str(write(tmp_path, GOOD)), "--scenario", str(scenario),
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Scenario: Cut one" in text and "Payback" not in text.split("\n")[0]
    assert "Saving to the core budget in the first full year (2028/29): £39,690" in text
    assert out.exists()


def test_run_bad_scenario_names_the_field(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.json"
    bad = dict(SCENARIO, actions=[{"type": "delete_posts", "month": "2031-01",
                                   "select": {"post_ids": ["1"]}}])
    scenario.write_text(json.dumps(bad), encoding="utf-8")
    code = main(["run", str(write(tmp_path, GOOD)), "--scenario", str(scenario), "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "actions[0].month" in captured.err and "outside the horizon" in captured.err
    assert json.loads(captured.out)["exit_code"] == 2


def test_run_needs_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(write(tmp_path, GOOD))]) == 2
    assert "--scenario" in capsys.readouterr().err


def test_redundancy_command(capsys: pytest.CaptureFixture[str]) -> None:
    # Age 45, 10 years: 12 weeks; £500 a week is under the £719 cap of 6 April 2025.
    assert main(["redundancy", "--age", "45", "--years", "10", "--weekly-pay", "500",
                 "--leaving-date", "2025-06-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["statutory_weeks"] == 12 and data["statutory_amount"] == 6_000
    # £800 a week: capped at £719 → 8,628; with ×1.5 on actual pay: 18 × 800 = 14,400.
    assert main(["redundancy", "--age", "45", "--years", "10", "--weekly-pay", "800",
                 "--leaving-date", "2025-06-01", "--multiplier", "1.5", "--actual-pay"]) == 0
    text = capsys.readouterr().out
    assert "£8,628.00" in text and "Total: £14,400.00" in text


def test_demo_prints_the_kpi_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for name in ("Cut first, as planned", "Gated by go-live",
                 "Natural wastage and redeployment"):
        assert name in out
    assert "Full-year saving" in out and "Payback" in out
    for head in ("Red team-months", "Peak backlog", "Transition cover", "Net by year 3",
                 "P(year-2 target)"):
        assert head in out


def demo_files(tmp_path: Path) -> tuple[Path, Path]:
    from importlib.resources import as_file

    from planner.bundled import demo_workbook, resource

    book = tmp_path / "demo.xlsx"
    with as_file(demo_workbook()) as path:
        book.write_bytes(Path(path).read_bytes())
    scenario = tmp_path / "cut_first.json"
    scenario.write_text((resource("demo", "scenarios") / "1_cut_first.json").read_text(
        encoding="utf-8"), encoding="utf-8")
    return book, scenario


def test_run_simulation_and_advice_json(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    book, scenario = demo_files(tmp_path)
    args = ["run", str(book), "--scenario", str(scenario), "--simulations", "200",
            "--seed", "5", "--advise", "--json"]
    assert main(args) in (0, 1)
    first = json.loads(capsys.readouterr().out)  # one JSON object, no NaN or infinity
    sim = first["simulation"]
    assert sim["simulations"] == 200 and sim["seed"] == 5
    assert 0 <= sim["p_meet_year_2_target"] <= 1
    assert first["kpis"]["red_team_months"] > 0 and first["kpis"]["cut_before_live"] >= 5
    assert first["service"]["risk"]["Contact Centre"][0] in "GAR"
    labels = [a["label"] for a in first["advice"]]
    assert "Remove 20 FTE from Contact Centre" in labels
    assert "message" in first["suggested_schedule"]
    assert main(args) in (0, 1)
    again = json.loads(capsys.readouterr().out)
    assert again["simulation"] == sim  # same seed, same numbers


def test_run_simulation_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book, scenario = demo_files(tmp_path)
    assert main(["run", str(book), "--scenario", str(scenario), "--simulations", "100",
                 "--seed", "1"]) in (0, 1)
    out = capsys.readouterr().out
    assert "Simulation: 100 runs, seed 1" in out and "Red team-months" in out
    assert "Cut before live" in out and "Chance of meeting the 2028/29 target" in out


def test_run_rejects_bad_simulation_settings(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    book, scenario = demo_files(tmp_path)
    assert main(["run", str(book), "--scenario", str(scenario), "--simulations", "-5"]) == 2
    assert "--simulations" in capsys.readouterr().err
    assert main(["run", str(book), "--scenario", str(scenario), "--advise",
                 "--confidence", "90"]) == 2
    assert "--confidence" in capsys.readouterr().err


# ----------------------------------------------------------------- run --pdf, run PROJECT

def demo_project(tmp_path: Path) -> Path:
    from planner.demo import demo_scenarios
    from planner.project import Project
    from planner.project_file import save_project

    book, _scenario = demo_files(tmp_path)
    from planner.importer import load_establishment

    path = tmp_path / "demo.fteplan"
    save_project(Project(load_establishment(book), demo_scenarios()), path)
    return path


def test_run_writes_the_board_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book, scenario = demo_files(tmp_path)
    pdf = tmp_path / "pack.pdf"
    assert main(["run", str(book), "--scenario", str(scenario), "--pdf", str(pdf),
                 "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert data["written"] == [str(pdf)] and pdf.read_bytes().startswith(b"%PDF")


def test_run_refuses_wrong_output_names(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    book, scenario = demo_files(tmp_path)
    assert main(["run", str(book), "--scenario", str(scenario), "--pdf",
                 str(tmp_path / "pack.xlsx")]) == 2
    assert "--pdf needs a file name ending in .pdf" in capsys.readouterr().err


def test_run_a_project_runs_every_scenario_and_compares_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    project = demo_project(tmp_path)
    out = tmp_path / "all.xlsx"
    assert main(["run", str(project), "--out", str(out), "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    names = [s["scenario"] for s in data["scenarios"]]
    assert names == ["Cut first, as planned", "Gated by go-live",
                     "Natural wastage and redeployment"]
    assert data["scenario"] == names[0] and data["project"] == str(project)
    assert "Compare" in load_workbook(out, read_only=True).sheetnames


def test_run_a_project_picks_one_scenario_by_name(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = demo_project(tmp_path)
    assert main(["run", str(project), "--scenario", "Gated by go-live"]) in (0, 1)
    out = capsys.readouterr().out
    assert "Scenario: Gated by go-live" in out and "Cut first" not in out
    assert main(["run", str(project), "--scenario", "Nope"]) == 2
    err = capsys.readouterr().err
    assert "no scenario called 'Nope'" in err and "'Gated by go-live'" in err


def test_run_refuses_more_than_five_scenarios_before_running_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from planner import cli_run
    from planner.demo import demo_scenarios
    from planner.importer import load_establishment
    from planner.project import Project
    from planner.project_file import save_project

    book, _scenario = demo_files(tmp_path)
    many = [s for s in demo_scenarios() for _ in range(2)]
    project = tmp_path / "many.fteplan"
    save_project(Project(load_establishment(book), many), project)
    monkeypatch.setattr(cli_run, "run_all", lambda *a: pytest.fail("ran the scenarios"))
    assert main(["run", str(project), "--pdf", str(tmp_path / "p.pdf")]) == 2
    assert "has 6 scenarios" in capsys.readouterr().err
