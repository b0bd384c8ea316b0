"""Keyed codes for post and employee ids, and names and ids taken out of free text."""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd

from planner.anonymise import NAME_LEFT_OUT, Anonymiser

KEY = b"k" * 32
CODE = re.compile(r"^[PE]-[0-9a-f]{10}$")


def posts() -> pd.DataFrame:
    return pd.DataFrame({
        "post_id": ["P001019", "P001020", "A1", "12345"],
        "employee_id": ["E3752358", None, "E1666701", np.nan],
        "employee_name": ["Samuel Patel", None, "Jo Lee", "Mary-Jane O'Neil"],
        "reports_to": ["P001020", None, None, None],
        "team": ["Revenues", "Revenues", "HR", "Benefits"],
    })


def test_code_is_hmac_sha256_of_the_id_first_ten_hex_characters() -> None:
    anon = Anonymiser(KEY)
    expected = hmac.new(KEY, b"P-P001019", hashlib.sha256).hexdigest()[:10]
    assert anon.code("P001019") == "P-" + expected
    assert anon.code(" P001019 ") == anon.code("P001019")  # read with stray spaces
    assert CODE.match(anon.code("E3752358", "E-"))
    assert anon.code("E3752358", "E-") != anon.code("E3752358", "P-")


def test_the_same_id_gets_the_same_code_within_an_export_and_not_across_exports() -> None:
    one, two = Anonymiser(), Anonymiser()
    assert one.code("P001019") == one.code("P001019")
    assert one.code("P001019") != two.code("P001019")  # a fresh random key each export
    assert one.code("P001019") != one.code("P001020")


def test_frame_codes_id_columns_and_drops_names() -> None:
    anon = Anonymiser.for_posts(posts(), key=KEY)
    out = anon.frame(posts())
    assert "employee_name" not in out
    assert list(out["post_id"]) == [anon.code(p) for p in posts()["post_id"]]
    assert out["employee_id"].iloc[0] == anon.code("E3752358", "E-")
    assert pd.isna(out["employee_id"].iloc[1]) and pd.isna(out["employee_id"].iloc[3])
    assert out["reports_to"].iloc[0] == anon.code("P001020")  # joins to the post it names
    assert list(out["team"]) == list(posts()["team"])


def test_scrub_replaces_ids_and_names_in_free_text() -> None:
    anon = Anonymiser.for_posts(posts(), key=KEY)
    p19, p20 = anon.code("P001019"), anon.code("P001020")
    assert anon.scrub("P001019") == p19
    assert anon.scrub("From Jun 2027, delete posts with post_id P001019, P001020.") == (
        f"From Jun 2027, delete posts with post_id {p19}, {p20}.")
    assert anon.scrub("P001019/P001020") == f"{p19}/{p20}"
    assert anon.scrub("Trimmed spaces from Samuel Patel's name") == (
        f"Trimmed spaces from {NAME_LEFT_OUT}'s name")
    assert anon.scrub("Mary-Jane O'Neil and Jo Lee") == f"{NAME_LEFT_OUT} and {NAME_LEFT_OUT}"
    assert anon.scrub("Employee 12345 left") == f"Employee {anon.code('12345')} left"
    assert anon.scrub("E3752358") == anon.code("E3752358", "E-")


def test_scrub_leaves_ordinary_words_and_numbers_alone() -> None:
    anon = Anonymiser.for_posts(posts(), key=KEY)
    for text in ["Revenues", "A1 is short", "Grade 5", "2027/28", "Apr 2027", "P0010190",
                 "Samuel Patelson", "=HYPERLINK(\"x\")", "row 12345678", ""]:
        assert anon.scrub(text) == text
    assert Anonymiser(KEY).scrub("P001019 Samuel Patel") == "P001019 Samuel Patel"
