"""Generate the fictional *Demo Borough Council* establishment workbook.

Run from the project root::

    python -m resources.demo.make_demo_council [--out PATH]

The default output is ``demo_council.xlsx`` next to this script, which is
committed. The output is deterministic: one seeded ``random.Random`` (whose
``random()``/``choices``/``sample`` streams are stable across Python
versions), no dependence on today's date, fixed workbook properties and fixed
zip-entry timestamps, so two runs give identical cells (and, with the same
openpyxl and zlib, identical bytes).

Everything here is invented: the council, its people, names, dates of birth
and employee numbers. Only the NJC pay spine is real.

The sheet is deliberately "messy in realistic ways" so that the importer is
exercised: title rows above the header, a merged title, post numbers with
leading zeros, a few salaries and dates stored as text, blank personal data on
vacant and agency rows, and a totals row below a blank row.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

T = TypeVar("T")

SEED = 20260401
AS_AT = date(2026, 3, 31)
#: Workbook created/modified properties and zip-entry timestamps (never "now").
FIXED_TIMESTAMP = datetime(2026, 4, 1, 9, 0, 0)
DEFAULT_OUT = Path(__file__).with_name("demo_council.xlsx")

SHEET = "Establishment"
TITLE = "Demo Borough Council – Establishment as at 31 March 2026"
SOURCE_NOTE = "Source: HR/payroll system extract. OFFICIAL-SENSITIVE: contains personal data."
TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 4
FIRST_DATA_ROW = 5
STANDARD_HOURS = 37
TOTAL_LABEL = "Total"

HEADERS: tuple[str, ...] = (
    "Post No",
    "Post Title",
    "Directorate",
    "Service",
    "Team",
    "Grade",
    "SCP",
    "FTE",
    "Contracted Hrs",
    "Annual Salary (£)",
    "Status",
    "Employee No",
    "Employee Name",
    "Date of Birth",
    "Continuous Service Date",
    "Contract Type",
    "Funding",
    "External Funding (£)",
    "Pension Member",
    "Skills",
    "Cost Centre",
    "Location",
)

COLUMN_WIDTHS: dict[str, float] = {
    "Post No": 10,
    "Post Title": 34,
    "Directorate": 28,
    "Service": 24,
    "Team": 30,
    "Grade": 9,
    "SCP": 6,
    "FTE": 7,
    "Contracted Hrs": 10,
    "Annual Salary (£)": 13,
    "Status": 8,
    "Employee No": 12,
    "Employee Name": 22,
    "Date of Birth": 12,
    "Continuous Service Date": 13,
    "Contract Type": 12,
    "Funding": 9,
    "External Funding (£)": 13,
    "Pension Member": 9,
    "Skills": 34,
    "Cost Centre": 10,
    "Location": 15,
}

# --------------------------------------------------------------------------- pay

#: NJC pay spine 2024/25 (England, Wales and Northern Ireland), annual £ for a
#: 37-hour week, from 1 April 2024. Source: NJC for Local Government Services pay
#: agreement 2024/25 (agreed October 2024): £1,290 on SCP 2-43 inclusive
#: (e.g. SCP 2 £23,656, SCP 22 £32,654, SCP 43 £52,805). Kept for traceability.
NJC_PAY_SPINE_2024_25: dict[int, int] = {
    2: 23656, 3: 24027, 4: 24404, 5: 24790, 6: 25183, 7: 25584, 8: 25992, 9: 26409,
    10: 26835, 11: 27269, 12: 27711, 13: 28163, 14: 28624, 15: 29093, 16: 29572,
    17: 30060, 18: 30559, 19: 31067, 20: 31586, 21: 32115, 22: 32654, 23: 33366,
    24: 34314, 25: 35235, 26: 36124, 27: 37035, 28: 37938, 29: 38626, 30: 39513,
    31: 40476, 32: 41511, 33: 42708, 34: 43693, 35: 44711, 36: 45718, 37: 46731,
    38: 47754, 39: 48710, 40: 49764, 41: 50788, 42: 51802, 43: 52805,
}  # fmt: skip

#: Pay-award multiplier from 2024/25 to 2025/26 (3.2% on SCP 2-43 from 1 April 2025).
NJC_AWARD_2025_26 = 1.032

#: NJC pay spine 2025/26, in force on the establishment date (31 March 2026).
#: Source: NJC for Local Government Services pay agreement 2025/26 (agreed
#: 23 July 2025): 3.2% on SCP 2-43 from 1 April 2025, backdated; SCP 2 is deleted
#: from 1 April 2026. Each value is the 2024/25 value x 1.032 rounded half-up to
#: the nearest pound (SCP 2 £24,413, SCP 22 £33,699, SCP 43 £54,495); check a
#: point against the published NJC table before relying on it to the pound.
NJC_PAY_SPINE_2025_26: dict[int, int] = {
    2: 24413, 3: 24796, 4: 25185, 5: 25583, 6: 25989, 7: 26403, 8: 26824, 9: 27254,
    10: 27694, 11: 28142, 12: 28598, 13: 29064, 14: 29540, 15: 30024, 16: 30518,
    17: 31022, 18: 31537, 19: 32061, 20: 32597, 21: 33143, 22: 33699, 23: 34434,
    24: 35412, 25: 36363, 26: 37280, 27: 38220, 28: 39152, 29: 39862, 30: 40777,
    31: 41771, 32: 42839, 33: 44075, 34: 45091, 35: 46142, 36: 47181, 37: 48226,
    38: 49282, 39: 50269, 40: 51356, 41: 52413, 42: 53460, 43: 54495,
}  # fmt: skip

#: The council's own senior-manager points above SCP 43 (fictional, 2025/26 values).
LOCAL_SENIOR_POINTS: dict[int, int] = {
    44: 61950, 45: 63810, 46: 65720, 47: 67690,   # SM1 (Head of Service)
    48: 72400, 49: 74570, 50: 76810, 51: 79110,   # SM2 (Assistant Director / senior head)
    52: 96500, 53: 99400, 54: 102380, 55: 105450,  # SM3 (Director, Chief Executive)
}  # fmt: skip

PAY_POINTS: dict[int, int] = {**NJC_PAY_SPINE_2025_26, **LOCAL_SENIOR_POINTS}

#: Grade -> (lowest SCP, highest SCP). Adjacent NJC grades overlap by one point.
GRADE_POINTS: dict[str, tuple[int, int]] = {
    "Grade 1": (2, 3),
    "Grade 2": (3, 5),
    "Grade 3": (5, 7),
    "Grade 4": (7, 11),
    "Grade 5": (12, 17),
    "Grade 6": (18, 22),
    "Grade 7": (23, 25),
    "Grade 8": (26, 29),
    "Grade 9": (30, 33),
    "Grade 10": (34, 37),
    "Grade 11": (38, 41),
    "Grade 12": (42, 43),
    "SM1": (44, 47),
    "SM2": (48, 51),
    "SM3": (52, 55),
}
GRADES: tuple[str, ...] = tuple(GRADE_POINTS)


def grade_rank(grade: str) -> int:
    """``'Grade 1'`` -> 1 ... ``'Grade 12'`` -> 12, ``'SM1'`` -> 13 ... ``'SM3'`` -> 15."""
    return GRADES.index(grade) + 1


# ----------------------------------------------------------------- organisation

CASEWORK_DISCIPLINES: tuple[str, ...] = (
    "revenues", "benefits", "housing", "customer_contact", "council_tax",
)  # fmt: skip

#: How likely a person with a home discipline is to also work in another one.
SKILL_AFFINITY: dict[str, dict[str, float]] = {
    "revenues": {"council_tax": 4, "benefits": 1, "customer_contact": 1.5, "housing": 0.3},
    "council_tax": {"revenues": 3, "benefits": 2, "customer_contact": 2, "housing": 0.5},
    "benefits": {"council_tax": 3, "customer_contact": 2, "housing": 1.5, "revenues": 0.7},
    "housing": {"customer_contact": 2, "benefits": 2, "council_tax": 0.5, "revenues": 0.2},
    "customer_contact": {"council_tax": 3, "benefits": 2, "housing": 1, "revenues": 1},
}

Role = tuple[str, str, int]  # (post title, grade, count); count 0 = all remaining posts


@dataclass(frozen=True)
class TeamSpec:
    directorate: str
    service: str
    name: str
    posts: int
    roles: tuple[Role, ...]
    location: str
    part_time: float = 0.2  # share of part-time posts (halved for Grade 10+, none for SM)
    vacancy: float = 0.07  # share of non-senior posts that are vacant (exact count)
    remote: float = 0.0  # share of office staff whose base is "Remote"
    age_mean: float = 45.0
    agency: float = 0.0  # share of filled posts held by agency workers
    grant: float = 0.0  # share of non-senior posts funded by a grant (exact count)
    income: bool = False  # posts funded by fees and charges
    skills: tuple[tuple[str, float], ...] = ()  # home disciplines (case-work teams)


RES = "Resources"
CDS = "Customer & Digital Services"
PLACE = "Place"
ENV = "Environment & Neighbourhoods"
ASC = "Adult Social Care & Health"
CHS = "Children's Services"

DIRECTORATE_CODES: dict[str, int] = {RES: 1, CDS: 2, PLACE: 3, ENV: 4, ASC: 5, CHS: 6}

TH, CC, DEPOT, REMOTE, SITES = "Town Hall", "Civic Centre", "Depot", "Remote", "Community Sites"

# fmt: off
TEAMS: tuple[TeamSpec, ...] = (
    # ------------------------------------------------------------ Resources
    TeamSpec(RES, "Finance", "Corporate Finance", 32, (
        ("Director of Resources (S151 Officer)", "SM3", 1), ("Head of Finance", "SM2", 1),
        ("Finance Manager", "Grade 11", 2), ("Senior Accountant", "Grade 9", 4),
        ("Accountant", "Grade 7", 6), ("Finance Officer", "Grade 5", 8),
        ("Finance Assistant", "Grade 4", 0)), TH, remote=0.25),
    TeamSpec(RES, "Finance", "Accounts Payable", 14, (
        ("Accounts Payable Team Leader", "Grade 7", 1), ("Senior Accounts Payable Officer",
        "Grade 5", 2), ("Accounts Payable Officer", "Grade 4", 6),
        ("Accounts Payable Assistant", "Grade 3", 0)), TH, part_time=0.3, remote=0.3),
    TeamSpec(RES, "Finance", "Procurement", 10, (
        ("Head of Procurement", "SM1", 1), ("Procurement Manager", "Grade 10", 1),
        ("Category Manager", "Grade 9", 2), ("Procurement Officer", "Grade 7", 3),
        ("Procurement Assistant", "Grade 4", 0)), TH, remote=0.3),
    TeamSpec(RES, "HR & Payroll", "HR Advisory", 20, (
        ("Head of HR & OD", "SM2", 1), ("HR Business Partner", "Grade 10", 3),
        ("Senior HR Adviser", "Grade 8", 3), ("HR Adviser", "Grade 6", 6),
        ("HR Assistant", "Grade 4", 0)), TH, part_time=0.3, remote=0.2),
    TeamSpec(RES, "HR & Payroll", "Payroll", 12, (
        ("Payroll Manager", "Grade 9", 1), ("Payroll Team Leader", "Grade 7", 1),
        ("Senior Payroll Officer", "Grade 5", 3), ("Payroll Officer", "Grade 4", 0)),
        TH, part_time=0.3, remote=0.2),
    TeamSpec(RES, "Legal & Democratic", "Legal Services", 24, (
        ("Head of Legal (Monitoring Officer)", "SM2", 1), ("Principal Solicitor", "Grade 11", 3),
        ("Senior Solicitor", "Grade 10", 5), ("Solicitor", "Grade 9", 5),
        ("Legal Executive", "Grade 7", 4), ("Paralegal", "Grade 5", 3),
        ("Legal Assistant", "Grade 3", 0)), TH, vacancy=0.1, remote=0.25),
    TeamSpec(RES, "Legal & Democratic", "Democratic Services", 14, (
        ("Democratic Services Manager", "Grade 10", 1), ("Electoral Services Manager",
        "Grade 9", 1), ("Democratic Services Officer", "Grade 6", 5),
        ("Electoral Services Officer", "Grade 5", 3), ("Member Support Assistant", "Grade 3", 0)),
        TH, part_time=0.25),
    TeamSpec(RES, "Chief Executive's Office", "Chief Executive's Office", 8, (
        ("Chief Executive", "SM3", 1), ("Head of Policy & Performance", "SM1", 1),
        ("Policy Officer", "Grade 8", 2), ("Communications Officer", "Grade 7", 2),
        ("PA to the Chief Executive", "Grade 6", 1), ("Executive Support Assistant", "Grade 4", 0)),
        TH, vacancy=0.04),
    # ------------------------------------------------------ Customer & Digital
    TeamSpec(CDS, "Customer Services", "Contact Centre", 70, (
        ("Director of Customer & Digital Services", "SM3", 1),
        ("Head of Customer Services", "SM1", 1), ("Contact Centre Manager", "Grade 9", 1),
        ("Contact Centre Team Leader", "Grade 6", 5), ("Senior Customer Adviser", "Grade 5", 8),
        ("Customer Adviser", "Grade 4", 0)), CC, part_time=0.42, vacancy=0.1, remote=0.15,
        age_mean=36, agency=0.15, skills=(("customer_contact", 1.0),)),
    TeamSpec(CDS, "Customer Services", "Customer Services Face-to-Face", 24, (
        ("Customer Services Manager", "Grade 8", 1),
        ("Senior Customer Services Officer", "Grade 5", 3),
        ("Customer Services Officer", "Grade 4", 0)), CC, part_time=0.35,
        skills=(("customer_contact", 1.0),)),
    TeamSpec(CDS, "Revenues & Benefits", "Revenues", 52, (
        ("Head of Revenues & Benefits", "SM1", 1), ("Revenues Manager", "Grade 10", 1),
        ("Revenues Team Leader", "Grade 7", 4), ("Senior Revenues Officer", "Grade 6", 8),
        ("Revenues Officer", "Grade 5", 22), ("Revenues Assistant", "Grade 3", 0)),
        CC, part_time=0.25, remote=0.3, skills=(("council_tax", 0.6), ("revenues", 0.4))),
    TeamSpec(CDS, "Revenues & Benefits", "Benefits", 48, (
        ("Benefits Manager", "Grade 10", 1), ("Benefits Team Leader", "Grade 7", 4),
        ("Senior Benefits Assessor", "Grade 6", 8), ("Benefits Assessor", "Grade 5", 24),
        ("Benefits Assistant", "Grade 3", 0)), CC, part_time=0.28, remote=0.3,
        skills=(("benefits", 1.0),)),
    TeamSpec(CDS, "ICT", "ICT Service Desk", 18, (
        ("Head of ICT", "SM1", 1), ("Service Desk Manager", "Grade 9", 1),
        ("Second Line Support Analyst", "Grade 6", 6), ("Service Desk Analyst", "Grade 4", 0)),
        CC, part_time=0.1, remote=0.2, age_mean=38),
    TeamSpec(CDS, "ICT", "ICT Infrastructure", 16, (
        ("Infrastructure Manager", "Grade 11", 1), ("Network Engineer", "Grade 8", 4),
        ("Systems Engineer", "Grade 8", 5), ("Applications Support Analyst", "Grade 7", 0)),
        CC, part_time=0.08, vacancy=0.1, remote=0.3, age_mean=41),
    # ------------------------------------------------------------------ Place
    TeamSpec(PLACE, "Planning", "Development Management", 30, (
        ("Director of Place", "SM3", 1), ("Head of Planning", "SM2", 1),
        ("Development Manager", "Grade 11", 1), ("Principal Planning Officer", "Grade 10", 4),
        ("Senior Planning Officer", "Grade 8", 8), ("Planning Officer", "Grade 7", 8),
        ("Planning Technician", "Grade 4", 0)), CC, vacancy=0.13, remote=0.25, age_mean=42),
    TeamSpec(PLACE, "Planning", "Planning Policy", 11, (
        ("Planning Policy Manager", "Grade 10", 1),
        ("Principal Planning Policy Officer", "Grade 9", 2),
        ("Planning Policy Officer", "Grade 7", 5), ("Planning Policy Technician", "Grade 5", 0)),
        CC, vacancy=0.1, remote=0.25),
    TeamSpec(PLACE, "Planning", "Building Control", 14, (
        ("Building Control Manager", "Grade 10", 1),
        ("Principal Building Control Surveyor", "Grade 9", 3),
        ("Building Control Surveyor", "Grade 8", 7), ("Building Control Technician", "Grade 4", 0)),
        CC, part_time=0.1, vacancy=0.1, age_mean=49, income=True),
    TeamSpec(PLACE, "Housing", "Housing Options", 36, (
        ("Head of Housing", "SM1", 1), ("Housing Options Manager", "Grade 10", 1),
        ("Housing Options Team Leader", "Grade 8", 3),
        ("Senior Housing Options Officer", "Grade 7", 6),
        ("Housing Options Officer", "Grade 6", 18), ("Housing Support Assistant", "Grade 4", 0)),
        CC, part_time=0.22, vacancy=0.09, remote=0.15, age_mean=40, grant=0.5,
        skills=(("housing", 1.0),)),
    TeamSpec(PLACE, "Housing", "Housing Allocations", 16, (
        ("Allocations Manager", "Grade 9", 1), ("Senior Allocations Officer", "Grade 6", 3),
        ("Allocations Officer", "Grade 5", 8), ("Housing Register Assistant", "Grade 3", 0)),
        CC, part_time=0.3, remote=0.2, skills=(("housing", 1.0),)),
    TeamSpec(PLACE, "Housing", "Private Sector Housing", 12, (
        ("Private Sector Housing Manager", "Grade 10", 1),
        ("Senior Environmental Health Officer (Housing)", "Grade 9", 2),
        ("Housing Standards Officer", "Grade 7", 6), ("Empty Homes Officer", "Grade 6", 0)),
        CC, part_time=0.15),
    TeamSpec(PLACE, "Highways & Transport", "Highways Maintenance", 34, (
        ("Head of Highways", "SM1", 1), ("Highways Manager", "Grade 10", 1),
        ("Highways Engineer", "Grade 8", 6), ("Highways Inspector", "Grade 6", 8),
        ("Highways Operative", "Grade 3", 0)), DEPOT, part_time=0.03, age_mean=46),
    TeamSpec(PLACE, "Culture & Libraries", "Libraries", 50, (
        ("Libraries Manager", "Grade 10", 1), ("Library Team Leader", "Grade 6", 6),
        ("Senior Library Assistant", "Grade 4", 10), ("Library Assistant", "Grade 2", 0)),
        SITES, part_time=0.55, vacancy=0.06, age_mean=48),
    # --------------------------------------------- Environment & Neighbourhoods
    TeamSpec(ENV, "Waste & Street Scene", "Waste Collection", 120, (
        ("Director of Environment & Neighbourhoods", "SM3", 1),
        ("Head of Waste & Street Scene", "SM1", 1), ("Waste Services Manager", "Grade 10", 1),
        ("Waste Collection Supervisor", "Grade 6", 6), ("HGV Driver (Refuse)", "Grade 4", 38),
        ("Refuse Loader", "Grade 2", 0)), DEPOT, part_time=0.02, vacancy=0.04, age_mean=38,
        agency=0.2),
    TeamSpec(ENV, "Waste & Street Scene", "Street Cleansing", 58, (
        ("Street Cleansing Manager", "Grade 9", 1), ("Street Cleansing Supervisor", "Grade 5", 4),
        ("Mechanical Sweeper Driver", "Grade 4", 10), ("Litter Picker", "Grade 1", 8),
        ("Street Cleansing Operative", "Grade 2", 0)), DEPOT, part_time=0.05, vacancy=0.06,
        age_mean=43, agency=0.08),
    TeamSpec(ENV, "Waste & Street Scene", "Fleet & Depot", 16, (
        ("Fleet Manager", "Grade 9", 1), ("Workshop Supervisor", "Grade 6", 1),
        ("HGV Mechanic", "Grade 5", 8), ("Depot Assistant", "Grade 2", 0)),
        DEPOT, part_time=0.03, vacancy=0.1, age_mean=46),
    TeamSpec(ENV, "Parks & Leisure", "Parks & Open Spaces", 50, (
        ("Head of Parks & Leisure", "SM1", 1), ("Parks Manager", "Grade 10", 1),
        ("Parks Supervisor", "Grade 5", 5), ("Arborist", "Grade 5", 4),
        ("Grounds Maintenance Operative", "Grade 3", 0)), DEPOT, part_time=0.08, age_mean=44),
    TeamSpec(ENV, "Parks & Leisure", "Leisure Centres", 74, (
        ("Leisure Centre Manager", "Grade 9", 2), ("Leisure Duty Manager", "Grade 6", 6),
        ("Fitness Instructor", "Grade 4", 12), ("Leisure Receptionist", "Grade 3", 8),
        ("Lifeguard", "Grade 2", 0)), SITES, part_time=0.45, vacancy=0.09, age_mean=31),
    TeamSpec(ENV, "Regulatory Services", "Environmental Health", 24, (
        ("Head of Regulatory Services", "SM1", 1), ("Environmental Health Manager", "Grade 10", 1),
        ("Senior Environmental Health Officer", "Grade 9", 4),
        ("Environmental Health Officer", "Grade 8", 8), ("Technical Officer", "Grade 5", 6),
        ("Regulatory Support Assistant", "Grade 3", 0)), CC, vacancy=0.1, remote=0.15,
        age_mean=47),
    TeamSpec(ENV, "Regulatory Services", "Licensing", 10, (
        ("Licensing Manager", "Grade 9", 1), ("Senior Licensing Officer", "Grade 7", 2),
        ("Licensing Officer", "Grade 5", 5), ("Licensing Assistant", "Grade 3", 0)),
        CC, part_time=0.2, income=True),
    # ------------------------------------------------ Adult Social Care & Health
    TeamSpec(ASC, "Adult Social Care", "Adult Social Work", 88, (
        ("Director of Adult Social Care & Health", "SM3", 1),
        ("Head of Adult Social Care", "SM2", 1),
        ("Principal Social Worker (Adults)", "Grade 11", 1),
        ("Social Work Team Manager", "Grade 10", 4), ("Senior Social Worker", "Grade 9", 12),
        ("Social Worker", "Grade 8", 36), ("Social Care Assessor", "Grade 5", 20),
        ("Business Support Officer", "Grade 3", 0)), CC, part_time=0.2, vacancy=0.1,
        remote=0.15, age_mean=43, grant=0.1),
    TeamSpec(ASC, "Adult Social Care", "Reablement", 120, (
        ("Reablement Manager", "Grade 9", 1), ("Reablement Coordinator", "Grade 6", 6),
        ("Senior Reablement Worker", "Grade 5", 12), ("Reablement Support Worker", "Grade 3", 0)),
        SITES, part_time=0.5, vacancy=0.08, age_mean=44, agency=0.03, grant=0.2),
    TeamSpec(ASC, "Adult Social Care", "Occupational Therapy", 20, (
        ("Occupational Therapy Manager", "Grade 10", 1),
        ("Senior Occupational Therapist", "Grade 9", 4),
        ("Occupational Therapist", "Grade 8", 9), ("Occupational Therapy Assistant", "Grade 5", 0)),
        CC, part_time=0.3, vacancy=0.1, age_mean=42),
    TeamSpec(ASC, "Adult Social Care", "Safeguarding Adults", 14, (
        ("Safeguarding Adults Manager", "Grade 10", 1),
        ("Safeguarding Lead Practitioner", "Grade 9", 3), ("Safeguarding Officer", "Grade 8", 6),
        ("Safeguarding Coordinator", "Grade 5", 0)), CC, part_time=0.2, remote=0.15),
    TeamSpec(ASC, "Adult Social Care", "Day Services", 46, (
        ("Day Services Manager", "Grade 9", 1), ("Day Centre Officer", "Grade 6", 4),
        ("Senior Support Worker", "Grade 4", 8), ("Support Worker", "Grade 3", 0)),
        SITES, part_time=0.35, age_mean=47),
    TeamSpec(ASC, "Public Health", "Public Health", 18, (
        ("Director of Public Health", "SM2", 1), ("Consultant in Public Health", "Grade 12", 2),
        ("Public Health Principal", "Grade 10", 3), ("Public Health Officer", "Grade 8", 6),
        ("Health Improvement Practitioner", "Grade 6", 0)), CC, part_time=0.25, remote=0.25,
        age_mean=41, grant=1.0),
    # ------------------------------------------------------ Children's Services
    TeamSpec(CHS, "Children's Social Care", "Children's Social Work", 102, (
        ("Director of Children's Services", "SM3", 1),
        ("Head of Children's Social Care", "SM2", 1),
        ("Principal Social Worker (Children)", "Grade 11", 1),
        ("Social Work Team Manager", "Grade 10", 6), ("Advanced Practitioner", "Grade 9", 10),
        ("Social Worker", "Grade 8", 48), ("Family Support Worker", "Grade 5", 16),
        ("Business Support Officer", "Grade 3", 0)), CC, part_time=0.15, vacancy=0.13,
        remote=0.1, age_mean=39, agency=0.04),
    TeamSpec(CHS, "Children's Social Care", "Fostering & Adoption", 28, (
        ("Fostering & Adoption Manager", "Grade 10", 1), ("Senior Practitioner", "Grade 9", 3),
        ("Supervising Social Worker", "Grade 8", 12), ("Family Finder", "Grade 7", 4),
        ("Fostering Support Officer", "Grade 5", 0)), CC, part_time=0.25, vacancy=0.08,
        age_mean=45),
    TeamSpec(CHS, "Children's Social Care", "Children's Residential Homes", 48, (
        ("Residential Services Manager", "Grade 10", 1), ("Registered Home Manager", "Grade 9", 3),
        ("Deputy Home Manager", "Grade 7", 3), ("Senior Residential Care Worker", "Grade 6", 9),
        ("Residential Care Worker", "Grade 5", 0)), SITES, part_time=0.2, vacancy=0.11,
        age_mean=38),
    TeamSpec(CHS, "Early Help & Prevention", "Early Help", 56, (
        ("Head of Early Help", "SM1", 1), ("Early Help Manager", "Grade 10", 2),
        ("Early Help Team Leader", "Grade 8", 4), ("Family Practitioner", "Grade 6", 24),
        ("Early Help Support Worker", "Grade 5", 0)), SITES, part_time=0.3, age_mean=41,
        grant=0.25),
    TeamSpec(CHS, "Early Help & Prevention", "Youth Justice Service", 18, (
        ("Youth Justice Service Manager", "Grade 10", 1),
        ("Youth Justice Senior Practitioner", "Grade 8", 3),
        ("Youth Justice Case Manager", "Grade 7", 8),
        ("Youth Justice Support Worker", "Grade 5", 0)),
        SITES, part_time=0.2, age_mean=40, grant=0.3),
    TeamSpec(CHS, "Education & SEND", "SEND Assessment", 24, (
        ("Head of SEND", "SM1", 1), ("SEND Manager", "Grade 10", 1),
        ("SEND Case Coordinator", "Grade 7", 12), ("SEND Officer", "Grade 5", 6),
        ("SEND Assistant", "Grade 3", 0)), CC, part_time=0.3, vacancy=0.1, remote=0.2),
)
# fmt: on

REQUIRED_TEAMS: tuple[str, ...] = (
    "Contact Centre",
    "Development Management",
    "Planning Policy",
    "Revenues",
    "Benefits",
    "Housing Options",
    "Housing Allocations",
    "Waste Collection",
    "Street Cleansing",
)
CASEWORK_TEAMS: tuple[str, ...] = tuple(t.name for t in TEAMS if t.skills)

#: Part-time FTEs and their weights: 18.5 h, 22.2 h, 29.6 h, 30 h (30/37), 15 h, 20 h, 26 h.
PART_TIME_FTES: tuple[tuple[float, float], ...] = (
    (0.5, 30), (0.6, 15), (0.8, 20), (0.81, 15), (0.41, 5), (0.54, 5), (0.7, 10),
)  # fmt: skip

FIRST_NAMES: tuple[str, ...] = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar",
    "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Daniel", "Samuel", "Joseph",
    "Mohammed", "Ryan", "Liam", "Connor", "Adam", "Ben", "Callum", "David", "Paul", "Mark",
    "Andrew", "Stephen", "Richard", "Gary", "Lee", "Darren", "Craig", "Kevin", "Ian", "Peter",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Jessica", "Chloe",
    "Ella", "Mia", "Ruby", "Evie", "Charlotte", "Hannah", "Megan", "Lucy", "Amy", "Laura",
    "Sarah", "Emma", "Rebecca", "Claire", "Nicola", "Michelle", "Karen", "Julie", "Helen",
    "Joanne", "Lisa", "Donna", "Susan", "Priya", "Aisha", "Fatima", "Zara", "Anna", "Katie",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
)  # fmt: skip

# ------------------------------------------------------------------- generation


@dataclass
class Post:
    post_no: str
    title: str
    directorate: str
    service: str
    team: str
    grade: str
    scp: int
    fte: float
    salary: int
    status: str
    employee_no: str | None
    employee_name: str | None
    date_of_birth: date | None
    service_date: date | None
    contract: str
    funding: str
    external_funding: int | None
    pension: str
    skills: str | None
    cost_centre: str
    location: str
    salary_text: str | None = None  # when set, the salary cell holds this text instead
    dob_as_text: bool = False
    service_date_as_text: bool = False

    @property
    def hours(self) -> float:
        return round(self.fte * STANDARD_HOURS, 2)

    @property
    def vacant(self) -> bool:
        return self.status == "Vacant"


@dataclass(frozen=True)
class Summary:
    posts: int
    fte: float
    filled_fte: float
    vacant_posts: int
    vacant_fte: float
    part_time_posts: int
    agency_posts: int
    grant_posts: int
    pay_bill: float  # Σ salary × FTE, basic pay only
    teams_by_directorate: dict[str, int]
    fte_by_team: dict[str, float]

    def lines(self) -> list[str]:
        out = [
            f"Posts: {self.posts:,}   FTE: {self.fte:,.2f} "
            f"(filled {self.filled_fte:,.2f}, vacant {self.vacant_fte:,.2f})",
            f"Vacant posts: {self.vacant_posts} ({self.vacant_posts / self.posts:.1%})   "
            f"part-time posts: {self.part_time_posts} ({self.part_time_posts / self.posts:.1%})   "
            f"agency: {self.agency_posts}   grant-funded: {self.grant_posts}",
            f"Basic pay bill (Σ salary × FTE): £{self.pay_bill:,.0f}",
            f"Teams: {sum(self.teams_by_directorate.values())} in "
            f"{len(self.teams_by_directorate)} directorates",
        ]
        out += [f"  {d}: {n} teams" for d, n in self.teams_by_directorate.items()]
        return out


def _pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    items = [item for item, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(items, weights=weights, k=1)[0]


def _birthday(dob: date, years: int) -> date:
    """The date ``years`` after ``dob`` (29 February -> 1 March in non-leap years)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def _age(rng: random.Random, mean: float, sd: float = 11.0) -> int:
    while True:
        age = round(rng.gauss(mean, sd))
        if 18 <= age <= 66:
            return age


def _date_of_birth(rng: random.Random, age: int) -> date:
    """A date of birth giving exactly ``age`` whole years on :data:`AS_AT`."""
    latest = _birthday(AS_AT, -age)
    return latest - timedelta(days=rng.randrange(365))


def _service_date(rng: random.Random, dob: date, grade: str) -> date:
    mean_years = 7.0 + (4.0 if grade_rank(grade) >= 9 else 0.0)
    years = rng.expovariate(1.0 / mean_years)
    earliest = _birthday(dob, 16) + timedelta(days=1)
    days = min(int(years * 365.25), (AS_AT - earliest).days)
    return AS_AT - timedelta(days=days)


def _skills(rng: random.Random, team: TeamSpec) -> list[str]:
    home = _pick(rng, team.skills)
    extra = _pick(rng, ((0, 0.45), (1, 0.35), (2, 0.2)))
    skills = [home]
    for _ in range(extra):
        options = [(d, w) for d, w in SKILL_AFFINITY[home].items() if d not in skills]
        skills.append(_pick(rng, options))
    return skills


def _expand_roles(team: TeamSpec) -> list[tuple[str, str]]:
    fixed = sum(n for _, _, n in team.roles)
    rest = team.posts - fixed
    if rest < 1 or sum(1 for *_, n in team.roles if n == 0) != 1:
        raise ValueError(f"{team.name}: roles do not add up to {team.posts} posts")
    posts: list[tuple[str, str]] = []
    for title, grade, n in team.roles:
        posts += [(title, grade)] * (n or rest)
    return posts


def generate_posts(seed: int = SEED) -> list[Post]:
    """Every post of the demo council, in sheet order. Deterministic for a given seed."""
    rng = random.Random(seed)
    total = sum(t.posts for t in TEAMS)
    post_numbers = sorted(rng.sample(range(1000, 30000), total))
    posts: list[Post] = []
    service_index: dict[tuple[str, str], int] = {}
    team_index: Counter[tuple[str, str]] = Counter()

    for team in TEAMS:
        d_code = DIRECTORATE_CODES[team.directorate]
        service_index.setdefault(
            (team.directorate, team.service),
            sum(1 for d, _ in service_index if d == team.directorate) + 1,
        )
        team_index[(team.directorate, team.service)] += 1
        cost_centre = (
            f"CC{d_code}{service_index[(team.directorate, team.service)]}"
            f"{team_index[(team.directorate, team.service)]}{rng.randrange(10)}"
        )
        roles = _expand_roles(team)
        eligible = [i for i, (_, g) in enumerate(roles) if not g.startswith("SM")]
        grant_posts = set(rng.sample(eligible, round(team.grant * len(eligible))))
        vacant_posts = set(rng.sample(eligible, round(team.vacancy * len(eligible))))

        for i, (title, grade) in enumerate(roles):
            senior = grade.startswith("SM")
            rank = grade_rank(grade)
            vacant = i in vacant_posts
            pt_share = 0.0 if senior else team.part_time * (0.4 if rank >= 10 else 1.0)
            fte = _pick(rng, PART_TIME_FTES) if rng.random() < pt_share else 1.0
            funding = "Grant" if i in grant_posts else ("Income" if team.income else "Core")

            location = team.location
            if team.remote and team.location in (TH, CC) and rng.random() < team.remote:
                location = REMOTE

            lo, hi = GRADE_POINTS[grade]
            contract = "Permanent"
            employee_no: str | None = None
            name: str | None = None
            dob: date | None = None
            started: date | None = None
            pension = "Yes"
            if vacant:
                scp = hi  # vacancies are budgeted at the top of the grade
                if funding == "Grant" and rng.random() < 0.5:
                    contract = "Fixed Term"
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                agency = not senior and rng.random() < team.agency
                if agency:
                    contract, pension, scp = "Agency", "No", lo
                else:
                    age_mean = team.age_mean + (8 if senior else 4 if rank >= 9 else 0)
                    age = _age(rng, age_mean)
                    dob = _date_of_birth(rng, age)
                    started = _service_date(rng, dob, grade)
                    years = (AS_AT - started).days / 365.25
                    scp = min(hi, lo + int(years))
                    r = rng.random()
                    if r < (0.45 if funding == "Grant" else 0.05):
                        contract = "Fixed Term"
                    elif r < 0.08:
                        contract = "Temporary"
                    p_member = 0.9 - (0.2 if age < 25 else 0.0) - (0.05 if fte < 1 else 0.0)
                    pension = "Yes" if rng.random() < p_member else "No"

            salary = PAY_POINTS[scp]
            external = round(salary * fte * 1.3, -1) if funding != "Core" else None
            skills = None
            if team.skills and not senior:
                chosen = [_pick(rng, team.skills)] if vacant else _skills(rng, team)
                skills = ";".join(chosen)

            posts.append(
                Post(
                    post_no="",  # numbered below, in sheet order
                    title=title,
                    directorate=team.directorate,
                    service=team.service,
                    team=team.name,
                    grade=grade,
                    scp=scp,
                    fte=fte,
                    salary=salary,
                    status="Vacant" if vacant else "Filled",
                    employee_no=employee_no,
                    employee_name=name,
                    date_of_birth=dob,
                    service_date=started,
                    contract=contract,
                    funding=funding,
                    external_funding=int(external) if external is not None else None,
                    pension=pension,
                    skills=skills,
                    cost_centre=cost_centre,
                    location=location,
                )
            )

    # A few secondments among permanent, filled, professional posts.
    candidates = [
        i for i, p in enumerate(posts)
        if p.contract == "Permanent" and not p.vacant and 6 <= grade_rank(p.grade) <= 11
    ]  # fmt: skip
    for i in rng.sample(candidates, 6):
        posts[i].contract = "Secondment"

    # Identifiers, in sheet order: post numbers for all, employee numbers for employees.
    employees = [p for p in posts if p.date_of_birth is not None]
    employee_numbers = rng.sample(range(1_000_000, 10_000_000), len(employees))
    for post, number in zip(posts, post_numbers, strict=True):
        post.post_no = f"P{number:06d}"
    for post, number in zip(employees, employee_numbers, strict=True):
        post.employee_no = f"E{number}"

    # Mess: ~3% of salaries and ~2% of dates stored as text.
    for post in posts:
        if rng.random() < 0.03:
            post.salary_text = f"£{post.salary:,}" if rng.random() < 0.6 else f"{post.salary}.00"
        if post.date_of_birth is not None and rng.random() < 0.02:
            post.dob_as_text = True
        if post.service_date is not None and rng.random() < 0.02:
            post.service_date_as_text = True
    return posts


def summarise(posts: Sequence[Post]) -> Summary:
    teams_by_directorate: dict[str, set[str]] = {}
    fte_by_team: dict[str, float] = {}
    for p in posts:
        teams_by_directorate.setdefault(p.directorate, set()).add(p.team)
        fte_by_team[p.team] = round(fte_by_team.get(p.team, 0.0) + p.fte, 2)
    return Summary(
        posts=len(posts),
        fte=round(sum(p.fte for p in posts), 2),
        filled_fte=round(sum(p.fte for p in posts if not p.vacant), 2),
        vacant_posts=sum(p.vacant for p in posts),
        vacant_fte=round(sum(p.fte for p in posts if p.vacant), 2),
        part_time_posts=sum(p.fte < 1 for p in posts),
        agency_posts=sum(p.contract == "Agency" for p in posts),
        grant_posts=sum(p.funding == "Grant" for p in posts),
        pay_bill=round(sum(p.salary * p.fte for p in posts), 2),
        teams_by_directorate={d: len(t) for d, t in teams_by_directorate.items()},
        fte_by_team=fte_by_team,
    )


# ---------------------------------------------------------------------- writing

MONEY_FORMAT = "£#,##0"
DATE_FORMAT = "dd/mm/yyyy"
_COL = {h: i + 1 for i, h in enumerate(HEADERS)}


def _row_values(p: Post) -> list[object]:
    def as_date(value: date | None, as_text: bool) -> object:
        if value is None:
            return None
        return value.strftime("%d/%m/%Y") if as_text else value

    return [
        p.post_no,
        p.title,
        p.directorate,
        p.service,
        p.team,
        p.grade,
        p.scp,
        p.fte,
        p.hours,
        p.salary_text if p.salary_text is not None else p.salary,
        p.status,
        p.employee_no,
        p.employee_name,
        as_date(p.date_of_birth, p.dob_as_text),
        as_date(p.service_date, p.service_date_as_text),
        p.contract,
        p.funding,
        p.external_funding,
        p.pension,
        p.skills,
        p.cost_centre,
        p.location,
    ]


def build_workbook(posts: Sequence[Post]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET

    ws.cell(TITLE_ROW, 1, TITLE).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=6)
    ws.cell(NOTE_ROW, 1, SOURCE_NOTE).font = Font(italic=True, color="C00000")

    header_fill = PatternFill("solid", fgColor="1F4E78")
    thin = Side(style="thin", color="808080")
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(HEADER_ROW, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=thin)
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[header]
    ws.row_dimensions[HEADER_ROW].height = 30

    number_formats = {
        _COL["FTE"]: "0.00",
        _COL["Contracted Hrs"]: "0.00",
        _COL["Annual Salary (£)"]: MONEY_FORMAT,
        _COL["External Funding (£)"]: MONEY_FORMAT,
        _COL["Date of Birth"]: DATE_FORMAT,
        _COL["Continuous Service Date"]: DATE_FORMAT,
    }
    row = FIRST_DATA_ROW
    for post in posts:
        for col, value in enumerate(_row_values(post), start=1):
            if value is None:
                continue
            cell = ws.cell(row, col, value)
            fmt = number_formats.get(col)
            if fmt is not None and not isinstance(value, str):
                cell.number_format = fmt
        row += 1

    total_row = row + 1  # one blank row, then the totals
    bold = Font(bold=True)
    ws.cell(total_row, _COL["Post No"], TOTAL_LABEL).font = bold
    fte_total = ws.cell(total_row, _COL["FTE"], round(sum(p.fte for p in posts), 2))
    fte_total.number_format = "#,##0.00"
    fte_total.font = bold
    salary_total = ws.cell(total_row, _COL["Annual Salary (£)"], sum(p.salary for p in posts))
    salary_total.number_format = MONEY_FORMAT
    salary_total.font = bold

    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(HEADERS))}{row - 1}"

    wb.properties.creator = "Demo Borough Council HR"
    wb.properties.title = TITLE
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.properties.lastModifiedBy = "Demo Borough Council HR"
    return wb


def save_deterministic(wb: Workbook, path: Path) -> None:
    """Save without "now": fixed document properties and fixed zip-entry timestamps.

    ``Workbook.save`` stamps ``modified`` with the current time and the zip
    entries with the current time, so the bytes would differ on every run.
    """
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # writes every part and closes the archive

    out = io.BytesIO()
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(path)


def generate(out: Path = DEFAULT_OUT, seed: int = SEED) -> Summary:
    """Write the demo workbook to ``out`` and return its summary."""
    posts = generate_posts(seed)
    save_deterministic(build_workbook(posts), out)
    return summarise(posts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m resources.demo.make_demo_council",
        description="Write the fictional Demo Borough Council establishment workbook.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output .xlsx (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    summary = generate(args.out)
    print(f"Wrote {args.out}")
    for line in summary.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
