"""Redeployment matching (DESIGN §3, §5): displaced post-holders to vacancies and new posts.

Councils must look for suitable alternative employment before making anyone redundant,
and every redeployment avoids a redundancy payment (often a pension strain too). So the
matcher maximises the *number* of people redeployed first and only then prefers good
matches (same grade, small pay drop, same team, shared skills, a slot that did not sit
empty for long). That is an assignment problem, solved exactly by
:func:`scipy.optimize.linear_sum_assignment` on independent blocks of the feasibility
graph (see :func:`match_redeployment`).

Grades are ranked by pay, not by name, because councils name them every which way
("Grade 3", "SM1", "PO2", "Band 5"): see :func:`grade_ranks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from planner.scenario import RedeploymentPolicy

#: Largest dense block (people or slots) handed to the assignment solver.
MAX_BLOCK = 4_000
_CHUNK_CELLS = 4_000_000  # pairs per feasibility chunk when scanning a large group

# Cost of a feasible pair (lower is better). All terms are small next to the
# "infeasible" constant, which is sized per block so that the count always comes first.
W_GRADE = 1.0  # per grade step, down or up: keeping people at their grade matters most
W_PAY = 2.0  # × salary drop as a fraction of old pay (10 % → 0.2): pay protection to fund
W_TEAM = 0.3  # a different team: new colleagues, new work
W_SERVICE = 0.2  # a different service
W_DIRECTORATE = 0.2  # a different directorate
W_SKILLS = 0.5  # the slot asks for skills the person does not list (when not required)
W_WAIT = 0.01  # per month the slot stood open before the move (at most WAIT_CAP months)
WAIT_CAP = 12

PERSON_COLUMNS = ("person", "post_id", "team", "directorate", "service", "grade",
                  "annual_salary", "fte", "skills", "month")
SLOT_COLUMNS = ("slot", "post_id", "team", "directorate", "service", "grade",
                "annual_salary", "fte", "skills", "open_month", "source")
#: Optional slot column: the last month a slot can take a redeployee (default: no limit).
CLOSE_MONTH = "close_month"
MATCH_COLUMNS = ("person", "slot", "post_id", "team", "grade", "to_post_id", "to_team",
                 "to_grade", "source", "month", "fte", "old_salary", "new_salary",
                 "salary_drop", "grade_steps")

SWITCHED_OFF = "redeployment is switched off"
NOT_OPEN = "no vacancy or new post open at the deletion month"
NO_GRADE = "no vacancy within the grade tolerance"
NO_FENCE = "no vacancy inside the ring-fence ({scope})"
NO_SKILLS = "no vacancy with matching skills"
TAKEN = "suitable vacancies were all taken by closer matches"


def _norm(values: pd.Series) -> np.ndarray:
    """Trimmed, case-folded text; missing values become ``""``."""
    # A comprehension: these frames are small, where pandas' string methods cost most.
    return np.array([v.strip().casefold() if isinstance(v, str) else
                     "" if v is None or v != v else str(v).strip().casefold()
                     for v in values.to_numpy(dtype=object)], dtype=object)


def grade_medians(posts: pd.DataFrame) -> dict[str, float]:
    """Median full-time salary of each grade (trimmed text), ignoring missing values."""
    grade = posts["grade"].astype(object).where(posts["grade"].notna(), "").astype(str)
    frame = pd.DataFrame({"grade": grade.str.strip().to_numpy(dtype=object),
                          "salary": pd.to_numeric(posts["annual_salary"], errors="coerce")})
    frame = frame[(frame["grade"] != "") & frame["salary"].notna()]
    medians = frame.groupby("grade", sort=True)["salary"].median()
    return {str(g): float(s) for g, s in medians.items()}


def grade_ranks(posts: pd.DataFrame) -> dict[str, int]:
    """Dense ranks 0..G-1 of the grades, lowest median salary first (ties by grade text).

    Salary order is the only ordering that works across naming schemes, and medians
    shrug off the odd post on a protected or mis-keyed salary.
    """
    medians = grade_medians(posts)
    return {g: i for i, g in enumerate(sorted(medians, key=lambda g: (medians[g], g)))}


def ranks_for(grades: pd.Series, salaries: pd.Series, ranks: dict[str, int],
              medians: dict[str, float]) -> np.ndarray:
    """Vectorised :func:`rank_of`: float ranks, NaN where neither grade nor salary tells."""
    lookup = {k.strip().casefold(): float(v) for k, v in ranks.items()}
    out = np.array(pd.Series(_norm(grades)).map(lookup), dtype=float)  # a writable copy
    med = {k.strip().casefold(): float(v) for k, v in medians.items()}
    ref = sorted((r, med[g]) for g, r in lookup.items() if np.isfinite(med.get(g, np.nan)))
    salary = pd.to_numeric(salaries, errors="coerce").to_numpy(dtype=float)
    need = np.isnan(out) & np.isfinite(salary)
    if ref and need.any():
        ref_rank, ref_median = (np.array(x, dtype=float) for x in zip(*ref, strict=True))
        nearest = np.argmin(np.abs(salary[need, None] - ref_median[None, :]), axis=1)
        out[need] = ref_rank[nearest]  # ties: the lower grade (argmin takes the first)
    return out


def rank_of(grade: str | None, salary: float | None, ranks: dict[str, int],
            medians: dict[str, float]) -> int | None:
    """The rank of ``grade``; an unknown grade takes that of the nearest median salary."""
    rank = ranks_for(pd.Series([grade], dtype=object), pd.Series([salary], dtype=object),
                     ranks, medians)[0]
    return None if np.isnan(rank) else int(rank)


@dataclass
class RedeploymentResult:
    """Who moves where, and why the others could not be placed.

    ``matches`` has :data:`MATCH_COLUMNS`, one row per redeployed person in person
    order: the old post, team and grade; the slot's post, team, grade and source; the
    move month (the deletion month); the person's FTE; full-time old and new salaries;
    ``salary_drop`` = max(0, old − new), 0 when a salary is unknown; and ``grade_steps``
    = slot rank − person rank (negative is down; <NA> when a rank is unknown).
    """

    matches: pd.DataFrame
    unmatched: pd.DataFrame  # the displaced rows not matched, plus ``reason``
    slots_offered: int = 0  # slots usable under the policy

    def summary(self) -> dict[str, Any]:
        """Headline counts for reports (plain Python numbers)."""
        return {
            "displaced": len(self.matches) + len(self.unmatched),
            "redeployed": len(self.matches),
            "redundancies": len(self.unmatched),
            "fte_redeployed": float(self.matches["fte"].sum()) if len(self.matches) else 0.0,
            "slots_offered": int(self.slots_offered),
            "slots_used": len(self.matches),
        }


@dataclass
class _Side:
    """Per-row arrays of the people or the slots, in key order."""

    key: np.ndarray
    rank: np.ndarray  # float, NaN unknown
    month: np.ndarray  # deletion month (people) or open month (slots)
    close: np.ndarray  # last month a slot can be filled (slots; people: unused)
    salary: np.ndarray
    codes: dict[str, np.ndarray]  # team/service/directorate → int code, -1 missing
    skills: np.ndarray  # bool incidence matrix rows × vocabulary
    lists_skills: np.ndarray


def _skill_sets(values: pd.Series) -> list[frozenset[str]]:
    return [frozenset(t.strip() for t in s.split(";") if t.strip()) for s in _norm(values)]


def _sides(people: pd.DataFrame, slots: pd.DataFrame, ranks: dict[str, int],
           medians: dict[str, float]) -> tuple[_Side, _Side]:
    n = len(people)
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for col in ("team", "service", "directorate"):
        text = np.concatenate([_norm(people[col]), _norm(slots[col])])
        code = pd.factorize(pd.Series(text, dtype=object), sort=True)[0]
        code[text == ""] = -1
        codes[col] = (code[:n], code[n:])
    sets_p, sets_s = _skill_sets(people["skills"]), _skill_sets(slots["skills"])
    vocab = {s: i for i, s in enumerate(sorted(set().union(*sets_p, *sets_s)))}

    def side(frame: pd.DataFrame, key: str, month: str, sets: list[frozenset[str]],
             k: int) -> _Side:
        inc = np.zeros((len(frame), len(vocab)), dtype=bool)
        for row, skills in enumerate(sets):
            inc[row, [vocab[s] for s in skills]] = True
        return _Side(
            key=frame[key].to_numpy(dtype=np.int64),
            rank=ranks_for(frame["grade"], frame["annual_salary"], ranks, medians),
            month=frame[month].to_numpy(dtype=np.int64),
            close=(frame["close_month"].fillna(np.iinfo(np.int64).max).to_numpy(dtype=np.int64)
                   if "close_month" in frame else
                   np.full(len(frame), np.iinfo(np.int64).max, dtype=np.int64)),
            salary=pd.to_numeric(frame["annual_salary"], errors="coerce").to_numpy(dtype=float),
            codes={c: v[k] for c, v in codes.items()}, skills=inc,
            lists_skills=np.asarray(inc.any(axis=1)))

    return (side(people, "person", "month", sets_p, 0),
            side(slots, "slot", "open_month", sets_s, 1))


class _Problem:
    """Feasibility and cost of (person, slot) pairs, built by numpy broadcasting."""

    def __init__(self, people: _Side, slots: _Side, policy: RedeploymentPolicy) -> None:
        self.p, self.s, self.policy = people, slots, policy
        scope = policy.ring_fence
        self.fence_p = np.zeros(len(people.key), dtype=np.int64) if scope == "council" \
            else people.codes[scope]
        self.fence_s = np.zeros(len(slots.key), dtype=np.int64) if scope == "council" \
            else slots.codes[scope]

    def stages(self, ip: np.ndarray, js: np.ndarray) -> list[np.ndarray]:
        """Cumulative masks: ring-fence, + grade tolerance, + skills, + open by the month.

        Suitability comes before timing so that the reason given for an unmatched person
        is the most specific: "open by the deletion month" means suitable slots exist
        but open too late, which is the one a planner can act on by re-dating.
        """
        p, s, pol = self.p, self.s, self.policy
        fp, fs = self.fence_p[ip][:, None], self.fence_s[js][None, :]
        out = [mask := (fp == fs) & (fp >= 0)]
        steps = s.rank[js][None, :] - p.rank[ip][:, None]
        with np.errstate(invalid="ignore"):  # an unknown rank cannot be checked: no bar
            in_band = (steps >= -pol.grades_down) & (steps <= pol.grades_up) | np.isnan(steps)
        out.append(mask := mask & in_band)
        if pol.skills_overlap_required:
            mask = mask & (~s.lists_skills[js][None, :] | self._overlap(ip, js))
        out.append(mask)
        out.append(mask & (s.month[js][None, :] <= p.month[ip][:, None])
                   & (s.close[js][None, :] >= p.month[ip][:, None]))
        return out

    def _overlap(self, ip: np.ndarray, js: np.ndarray) -> np.ndarray:
        a = self.p.skills[ip].astype(np.float32)
        return (a @ self.s.skills[js].T.astype(np.float32)) > 0

    def cost(self, ip: np.ndarray, js: np.ndarray) -> np.ndarray:
        """Weighted cost of each pair (meaningful for feasible pairs only)."""
        p, s = self.p, self.s
        steps = np.nan_to_num(s.rank[js][None, :] - p.rank[ip][:, None], nan=0.0)
        cost = W_GRADE * np.abs(steps)
        old, new = p.salary[ip][:, None], s.salary[js][None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            drop = np.clip((old - new) / old, 0.0, 1.0)
        cost += W_PAY * np.nan_to_num(drop, nan=0.0)
        for col, weight in (("team", W_TEAM), ("service", W_SERVICE),
                            ("directorate", W_DIRECTORATE)):
            a, b = p.codes[col][ip][:, None], s.codes[col][js][None, :]
            cost += weight * ~((a == b) & (a >= 0))
        cost += W_SKILLS * (s.lists_skills[js][None, :] & ~self._overlap(ip, js))
        wait = np.clip(p.month[ip][:, None] - s.month[js][None, :], 0, WAIT_CAP)
        return cost + W_WAIT * wait

    def edges(self, ip: np.ndarray, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Feasible pairs as positions into ``ip`` and ``js``, scanned in row chunks."""
        rows, cols = [], []
        step = max(1, _CHUNK_CELLS // max(1, len(js)))
        for start in range(0, len(ip), step):
            r, c = np.nonzero(self.stages(ip[start:start + step], js)[-1])
            rows.append(r + start)
            cols.append(c)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(rows), np.concatenate(cols)

    def solve(self) -> list[tuple[int, int]]:
        """Matched (person position, slot position) pairs, ring-fence group by group."""
        pairs: list[tuple[int, int]] = []
        for group in np.unique(self.fence_p[self.fence_p >= 0]):
            ip, js = np.flatnonzero(self.fence_p == group), np.flatnonzero(self.fence_s == group)
            if len(js):
                pairs += self._match_group(ip, js)
        return pairs

    def _match_group(self, ip: np.ndarray, js: np.ndarray) -> list[tuple[int, int]]:
        """Solve each connected component; repeat on what banded blocks left over."""
        pairs: list[tuple[int, int]] = []
        while len(ip) and len(js):
            found: list[tuple[int, int]] = []
            banded = False
            for bp, bs in self._components(ip, js):
                if len(bp) <= MAX_BLOCK and len(bs) <= MAX_BLOCK:
                    found += self._assign(bp, bs)
                else:
                    found += self._banded(bp, bs)
                    banded = True
            pairs += found
            if not banded or not found:
                break  # exact blocks leave nobody with a free feasible slot
            ip = np.setdiff1d(ip, [a for a, _ in found])
            js = np.setdiff1d(js, [b for _, b in found])
        return pairs

    def _components(self, ip: np.ndarray,
                    js: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Connected components of the bipartite feasibility graph (people, slots)."""
        rows, cols = self.edges(ip, js)
        if not len(rows):
            return []
        n, size = len(ip), len(ip) + len(js)
        graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols + n)),
                           shape=(size, size))
        labels = connected_components(graph, directed=False)[1]
        order = np.argsort(labels, kind="stable")
        blocks = []
        for members in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1):
            if len(members) > 1:  # a lone node has no feasible pair
                blocks.append((ip[members[members < n]], js[members[members >= n] - n]))
        return blocks

    def _assign(self, ip: np.ndarray, js: np.ndarray) -> list[tuple[int, int]]:
        """Exact: most people matched, then least total cost among those matchings.

        Infeasible pairs cost ``big`` > (min(n, m) + 1) × (largest feasible cost + 1).
        A matching with one more feasible pair then saves at least ``big`` minus the
        costs of all its feasible pairs (< ``big``), so it always wins.
        """
        feasible = self.stages(ip, js)[-1]
        cost = self.cost(ip, js)
        if not feasible.any():
            return []
        big = (min(cost.shape) + 1) * (float(cost[feasible].max()) + 1.0)
        cost[~feasible] = big
        rows, cols = linear_sum_assignment(cost)
        keep = feasible[rows, cols]
        return list(zip(ip[rows[keep]].tolist(), js[cols[keep]].tolist(), strict=True))

    def _banded(self, ip: np.ndarray, js: np.ndarray) -> list[tuple[int, int]]:
        """Split an oversized block into grade-rank bands of people, solved in turn.

        Bands of at most :data:`MAX_BLOCK` people, lowest grades first, each offered the
        still-free slots it can use (the nearest in grade when more than MAX_BLOCK).
        Pairs across band edges are recovered by the caller's next round on what is
        left, but the result may be slightly sub-optimal: a band can take a slot that
        a later band needed more.
        """
        rank = np.nan_to_num(self.p.rank[ip], nan=np.inf)
        ordered = ip[np.lexsort((self.p.key[ip], rank))]
        free = np.ones(len(js), dtype=bool)
        pairs: list[tuple[int, int]] = []
        for band in np.array_split(ordered, -(-len(ordered) // MAX_BLOCK)):
            avail = js[free]
            cand = avail[np.unique(self.edges(band, avail)[1])]
            if len(cand) > MAX_BLOCK:
                known = self.p.rank[band][np.isfinite(self.p.rank[band])]
                middle = float(np.median(known)) if len(known) else 0.0
                gap = np.nan_to_num(np.abs(self.s.rank[cand] - middle), nan=0.0)
                cand = np.sort(cand[np.lexsort((self.s.key[cand], gap))[:MAX_BLOCK]])
            found = self._assign(band, cand)
            free &= ~np.isin(js, [b for _, b in found])
            pairs += found
        return pairs

    def reasons(self, ip: np.ndarray, js: np.ndarray) -> list[str]:
        """Why each unmatched person in ``ip`` was not placed: the filter that emptied
        their list of slots (see :meth:`stages`), or "taken" when it never emptied."""
        fence = NO_FENCE.format(scope=self.policy.ring_fence)
        texts = np.array([fence, NO_GRADE, NO_SKILLS, NOT_OPEN, TAKEN], dtype=object)
        out = np.full(len(ip), NOT_OPEN, dtype=object)  # no slots offered at all
        step = max(1, _CHUNK_CELLS // max(1, len(js)))
        for start in range(0, len(ip) if len(js) else 0, step):
            have = np.stack([m.any(axis=1) for m in self.stages(ip[start:start + step], js)])
            first_empty = np.where(have.all(axis=0), len(have), np.argmin(have, axis=0))
            out[start:start + step] = texts[first_empty]
        return [str(t) for t in out]


def _check(frame: pd.DataFrame, columns: tuple[str, ...], key: str, name: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the {name} table has no {', '.join(missing)} column")
    if frame[key].duplicated().any():
        raise ValueError(f"the {name} table repeats a {key} key")
    return frame.sort_values(key, kind="stable").reset_index(drop=True)


def match_redeployment(displaced: pd.DataFrame, slots: pd.DataFrame,
                       policy: RedeploymentPolicy, ranks: dict[str, int],
                       medians: dict[str, float] | None = None) -> RedeploymentResult:
    """Match displaced people (``PERSON_COLUMNS``) to slots (``SLOT_COLUMNS``).

    A pair is feasible when the slot is open by the person's deletion month, its grade
    rank lies within [rank − grades_down, rank + grades_up], it is inside the ring-fence,
    skills overlap (if required; a slot listing no skills accepts anyone) and, for an
    existing vacancy, the policy uses vacancies. A person or slot whose rank cannot be
    told (no known grade, no salary) is not barred by the grade tolerance, and a
    missing team/service/directorate is outside every ring-fence but "council".

    Ring-fence groups and then connected components of the feasibility graph are solved
    separately (they share no feasible pair, so this loses nothing) and exactly. A block
    with more than :data:`MAX_BLOCK` people or slots is split into grade-rank bands, and
    the result may then be slightly sub-optimal. Rows are sorted by key first, so the
    same input (in any row order) gives the same output. ``medians`` (grade → median
    salary) place unknown grades; by default they come from these two tables.
    """
    people = _check(displaced, PERSON_COLUMNS, "person", "displaced")
    slots = _check(slots, SLOT_COLUMNS, "slot", "slots")
    if not policy.enabled:
        return _result(people, [], [SWITCHED_OFF] * len(people), 0)
    if not policy.use_existing_vacancies:
        is_vacancy = _norm(slots["source"]) == "vacancy"
        slots = slots[~is_vacancy].reset_index(drop=True)
    if medians is None:
        cols = ["grade", "annual_salary"]
        medians = grade_medians(pd.concat([people[cols], slots[cols]], ignore_index=True))
    problem = _Problem(*_sides(people, slots, ranks, medians), policy)
    pairs = sorted(problem.solve())
    matched = np.zeros(len(people), dtype=bool)
    matched[[a for a, _ in pairs]] = True
    reasons = problem.reasons(np.flatnonzero(~matched), np.arange(len(slots)))
    frame = _matches(people, slots, problem, pairs)
    return _result(people, pairs, reasons, len(slots), frame)


def _matches(people: pd.DataFrame, slots: pd.DataFrame, problem: _Problem,
             pairs: list[tuple[int, int]]) -> pd.DataFrame:
    ip = np.array([a for a, _ in pairs], dtype=np.int64)
    js = np.array([b for _, b in pairs], dtype=np.int64)
    who, where = people.iloc[ip].reset_index(drop=True), slots.iloc[js].reset_index(drop=True)
    old, new = problem.p.salary[ip], problem.s.salary[js]
    steps = problem.s.rank[js] - problem.p.rank[ip]
    return pd.DataFrame({
        "person": who["person"], "slot": where["slot"], "post_id": who["post_id"],
        "team": who["team"], "grade": who["grade"], "to_post_id": where["post_id"],
        "to_team": where["team"], "to_grade": where["grade"], "source": where["source"],
        "month": who["month"], "fte": who["fte"].astype(float),
        "old_salary": old, "new_salary": new,
        "salary_drop": np.nan_to_num(np.clip(old - new, 0.0, None), nan=0.0),
        "grade_steps": pd.Series(steps).round().astype("Int64"),
    }, columns=list(MATCH_COLUMNS))


def _result(people: pd.DataFrame, pairs: list[tuple[int, int]], reasons: list[str],
            offered: int,
            frame: pd.DataFrame | None = None) -> RedeploymentResult:
    matched = np.zeros(len(people), dtype=bool)
    matched[[a for a, _ in pairs]] = True
    unmatched = people[~matched].reset_index(drop=True).assign(reason=reasons)
    if frame is None:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS})
    return RedeploymentResult(matches=frame, unmatched=unmatched, slots_offered=offered)


def pay_protection_monthly(matches: pd.DataFrame, policy: RedeploymentPolicy) -> np.ndarray:
    """Protected pay per month in the first protected month: drop × FTE ÷ 12 (£).

    Multiply by :func:`protection_factor` for later months. An unknown drop is 0, and
    so is everything when the policy protects pay for no months.
    """
    drop = pd.to_numeric(matches["salary_drop"], errors="coerce").to_numpy(dtype=float)
    fte = pd.to_numeric(matches["fte"], errors="coerce").to_numpy(dtype=float)
    monthly = np.nan_to_num(drop * fte / 12.0, nan=0.0)
    return monthly if policy.pay_protection_months > 0 else np.zeros_like(monthly)


def protection_factor(months_since_move: np.ndarray, policy: RedeploymentPolicy) -> np.ndarray:
    """Share of the first month's protected pay payable ``m`` months after the move.

    ``"none"``: 1 for 0 ≤ m < pay_protection_months. ``"linear"``: (months − m) ÷ months,
    so 12 months gives 1.0 at m = 0 and 0.5 at m = 6. Zero before the move and after.
    """
    m = np.asarray(months_since_move, dtype=float)
    total = policy.pay_protection_months
    if total <= 0:
        return np.zeros_like(m)
    inside = (m >= 0) & (m < total)
    share = (total - m) / total if policy.pay_protection_taper == "linear" else np.ones_like(m)
    return np.where(inside, share, 0.0)


def retraining_productivity(months_since_move: np.ndarray,
                            policy: RedeploymentPolicy) -> np.ndarray:
    """Productivity multiplier ``m`` months after the move (1.0 before it: not applicable)."""
    m = np.asarray(months_since_move, dtype=float)
    retraining = (m >= 0) & (m < policy.retraining_months)
    return np.where(retraining, policy.retraining_productivity_pct / 100.0, 1.0)
