"""Running costs of one projection, by team and month (DESIGN §4 "Costs").

Running costs are what the establishment costs month after month: basic pay,
employer NI (per person, on their own pay above the threshold), LGPS
pension, the apprenticeship levy and recruitment. Savings are the baseline
run's running costs less the scenario's. One-off costs (redundancy, pension
strain, pay protection, retraining, temporary cover) are in :mod:`planner.one_off`.

Expected-value NI: a post whose holder is contracted for ``c`` FTE and whose
FTE in post is ``occ`` holds that person with probability ``occ ÷ c``, so its
expected NI is ``occ ÷ c × rate × max(0, c × salary ÷ 12 − threshold ÷ 12)``.
A row above 1 FTE is a group of ``ceil(c)`` people sharing it equally, each
with their own threshold. ``c`` is the post's FTE at the start (or when
created), changed only by FTE reductions, so NI does not shrink as a frozen
post empties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.engine import Run
from planner.oncosts import apprenticeship_levy, ni_by_month, pay_index
from planner.scenario import Assumptions

#: Running-cost lines, in report order.
RUNNING_LINES: tuple[str, ...] = ("pay", "employer_ni", "pension", "levy", "recruitment")


@dataclass
class RunningCosts:
    """Team-by-month running costs of one run (each (months, teams), £)."""

    lines: dict[str, np.ndarray]
    external: np.ndarray  # the part of pay + NI + pension funded from outside the core budget

    @property
    def total(self) -> np.ndarray:
        return sum((self.lines[k] for k in RUNNING_LINES), np.zeros_like(self.external))


def running_costs(run: Run, assumptions: Assumptions) -> RunningCosts:
    """Pay, NI, pension, levy and recruitment for every team and month of ``run``."""
    prep = run.prep
    index = pay_index(prep.horizon, assumptions)
    rate, threshold = ni_by_month(prep.horizon, assumptions)
    monthly_salary = prep.salary / 12.0
    pay = run.occ * monthly_salary * index[:, None]
    people = np.maximum(np.ceil(run.contract - 1e-9), 1.0)
    person_pay = run.contract / people * monthly_salary * index[:, None]
    share = np.divide(run.occ, run.contract, out=np.zeros_like(run.occ),
                      where=run.contract > 0)
    ni = share * people * rate[:, None] * np.maximum(person_pay - threshold[:, None], 0.0)
    pension = pay * (assumptions.pension_rate_pct / 100.0) * prep.pension_member
    external = run.team_totals((pay + ni + pension) * prep.ext_share)
    pay_t, ni_t, pension_t = run.team_totals(pay), run.team_totals(ni), run.team_totals(pension)
    total_pay = pay_t.sum(axis=1)
    levy = apprenticeship_levy(total_pay, assumptions)
    with np.errstate(invalid="ignore", divide="ignore"):
        levy_t = np.where(total_pay[:, None] > 0, pay_t / total_pay[:, None], 0.0) * levy[:, None]
    hires = run.flows["hires_existing"] + run.flows["hires_new"]
    recruitment = hires * assumptions.recruitment_cost_per_hire
    return RunningCosts(
        lines={"pay": pay_t, "employer_ni": ni_t, "pension": pension_t, "levy": levy_t,
               "recruitment": recruitment},
        external=external,
    )
