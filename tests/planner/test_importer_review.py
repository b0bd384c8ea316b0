"""Regression tests for defects found in review: each builds the awkward file it needs."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from planner.cli import main
from planner.errors import MappingError, UnusableFileError
from planner.importer import load_establishment


def csv(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(est) -> list[str]:
    return [i.code for i in est.report]


def test_decimal_comma_is_read_with_a_warning_and_ambiguous_money_refused(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, "Post ID;Team;FTE;Salary\nP1;B;0,5;30000\n"
                                           "P2;B;1;30.000,50\n"))
    assert est.posts["fte"].tolist() == [0.5, 1.0]  # not 5
    assert est.posts["annual_salary"].isna().tolist() == [False, True]  # not £30.0005
    assert {"decimal_comma", "not_money"} <= set(codes(est))


def test_negative_and_infinite_amounts_are_left_empty(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, 'Post ID,Team,FTE,Salary\nA,B,1,-30000\n'
                                           'C,B,1,"(30,000)"\nD,B,inf,20000\nE,B,1,20000\n'))
    assert est.posts["annual_salary"].isna().tolist() == [True, True, False]
    assert codes(est).count("negative_money") == 2
    assert est.rows_excluded == 1  # FTE 'inf' is not a number, so D has no FTE


def test_subtotal_and_unlabelled_sum_rows_are_excluded(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, "Post ID,Team,FTE,Salary\nP1,Libraries,1,30000\n"
                                           ",Libraries Total,1,30000\nP2,Parks,1,30000\n"
                                           ",,2,60000\n"))
    assert est.posts["post_id"].tolist() == ["P1", "P2"]
    assert est.summary().annual_pay_bill == 60000
    assert sorted(i.row for i in est.report if i.message.startswith("Row excluded")) == [3, 5]


def test_the_sheet_with_posts_beats_a_summary_and_an_empty_template(tmp_path) -> None:
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append(["Team", "FTE", "Salary"])
    summary.append(["Revenues", 20, 600000])
    template = wb.create_sheet("Template")
    template.append(["Post ID", "Team", "FTE", "Salary", "Grade"])
    staff = wb.create_sheet("Staff list")
    staff.append(["Post ID", "Team", "FTE", "Salary"])
    staff.append(["R1", "Revenues", 1, 30000])
    wb.save(tmp_path / "book.xlsx")
    est = load_establishment(tmp_path / "book.xlsx")
    assert est.source.sheet == "Staff list" and est.summary().annual_pay_bill == 30000


def test_header_only_file_says_so(tmp_path) -> None:
    with pytest.raises(UnusableFileError, match="no data rows"):
        load_establishment(csv(tmp_path, "Post ID,Team,FTE,Salary\n"))


@pytest.mark.parametrize(
    ("header", "row", "column", "expected"),
    [
        ("Post ID,Team,Hours,Contracted Hours,Salary", "A,B,37,18.5,30000", "fte", 0.5),
        ("Post ID,Team,FTE,Pay Band,Salary", "A,B,1,Band 5,30000", "annual_salary", 30000),
        ("Post ID,Team,FTE %,FTE,Salary", "A,B,50,0.5,30000", "fte", 0.5),
        ("Post ID,Title,Job Title,Team,FTE,Salary", "A,Ms,Clerk,B,1,30000", "post_title",
         "Clerk"),
        ("Post ID,Team,FTE Filled,FTE Vacant,FTE,Salary", "A,B,0,1,1,30000", "fte", 1.0),
        ("Position Number,Org Unit,Assignment FTE,Basic Salary FTE", "A,B,0.6,30000", "fte", 0.6),
    ],
)
def test_the_best_header_wins(tmp_path, header, row, column, expected) -> None:
    est = load_establishment(csv(tmp_path, f"{header}\n{row}\n"))
    assert est.posts.loc[0, column] == expected


def test_fte_from_hours_is_reported_when_there_is_no_fte_column(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, "Post ID,Team,Contracted Hours,Salary\n"
                                           "A,B,18:30,30000\n"))
    assert est.posts.loc[0, "fte"] == 0.5  # 18 h 30 min ÷ 37
    (note,) = [i for i in est.report if i.code == "fte_from_hours"]
    assert "÷ 37" in note.message and note.column == "Contracted Hours"


def test_merged_header_with_sub_labels_below(tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Post ID", "Team", "FTE", "Salary (£)", None])
    ws.merge_cells("D1:E1")
    ws.append([None, None, None, "Min", "Max"])
    ws.append(["A", "B", 1, 30000, 34000])
    wb.save(tmp_path / "sub.xlsx")
    est = load_establishment(tmp_path / "sub.xlsx")
    assert est.source.header_rows == (1, 2)
    assert est.rows_read == 1 and est.posts.loc[0, "annual_salary"] == 32000


def test_profile_defaults_are_checked_parsed_and_reported(tmp_path) -> None:
    data = csv(tmp_path, "Post ID,Team,FTE,Salary\nA,B,,30000\n")
    for bad in ({"defaults": {"fte": [1]}}, {"options": {"team_fallback": "service"}},
                {"options": {"aggregate_rows": "yes"}}):
        (tmp_path / "p.json").write_text(json.dumps(bad))
        with pytest.raises(MappingError):
            load_establishment(data, mapping=tmp_path / "p.json")
    (tmp_path / "p.json").write_text(json.dumps({"defaults": {"fte": 1, "status": "Vacant"}}))
    est = load_establishment(data, mapping=tmp_path / "p.json")
    assert est.posts.loc[0, "fte"] == 1.0 and est.posts.loc[0, "status"] == "vacant"
    assert "default_used" in codes(est)


def test_vacancy_wordings(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, "Post ID,Team,FTE,Salary,Name,Status\n"
                                           "A,B,1,1e4,Vacant Post,\n"
                                           "C,B,1,1e4,VACANT - recruiting,\n"
                                           "D,B,1,1e4,,Vacant (agency cover)\n"
                                           "E,B,1,1e4,Vacant,Filled\n"))
    assert est.posts["status"].tolist() == ["vacant", "vacant", "vacant", "filled"]
    assert est.posts["employee_name"].isna().all()
    assert "vacant_name_filled" in codes(est)


def test_duplicate_suffix_never_clashes_with_a_real_id(tmp_path) -> None:
    est = load_establishment(csv(tmp_path, "Post ID,Team,FTE,Salary\nP1,A,1,1e4\n"
                                           "P1,B,1,1e4\nP1#2,C,1,1e4\n"))
    assert est.posts["post_id"].is_unique


def test_json_output_is_ascii_safe(tmp_path, capsys) -> None:
    data = csv(tmp_path, "Post ID,Team,FTE,Salary\nA,Tŷ Hafan,1,30000\n")
    assert main(["validate", str(data), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.isascii() and json.loads(out)["teams"] == 1
