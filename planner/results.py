"""What a scenario run produces: monthly frames, financial years, the FTE bridge and KPIs.

Savings are always against the **baseline run** (same establishment and
assumptions, no actions, normal backfill). ``saving`` is recurring (running
costs: pay, NI, pension, levy, recruitment); one-off costs are kept apart;
``net`` is saving less one-off costs and ``cumulative_net`` its running sum.
The payback month is the first month from which the cumulative net position
stays at or above zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.costing import RUNNING_LINES, RunningCosts
from planner.engine import Run
from planner.months import format_month, fy_start_year, fy_text
from planner.one_off import ONE_OFF_LINES, OneOffCosts
from planner.redeployment import RedeploymentResult
from planner.scenario import Scenario
from planner.service import Service

BRIDGE_LABELS: tuple[str, ...] = (
    "Start (in post)", "Deletions and reductions", "Natural wastage and backfill",
    "Redeployment", "New posts", "End (in post)",
)


@dataclass
class Results:
    """Everything computed for one scenario; frames are plain pandas for charts and export."""

    scenario: Scenario
    run: Run
    baseline: Run
    costs: RunningCosts
    baseline_costs: RunningCosts
    one_off: OneOffCosts
    redeployment: RedeploymentResult | None
    warnings: list[str] = field(default_factory=list)
    _monthly: pd.DataFrame | None = field(default=None, init=False, repr=False)
    _service: Service | None = field(default=None, init=False, repr=False)

    # ----- shape -------------------------------------------------------------------------
    @property
    def months(self) -> list[str]:
        return self.scenario.horizon.labels()

    @property
    def teams(self) -> list[str]:
        return self.run.prep.team_names

    def _fy(self) -> np.ndarray:
        return np.array(self.scenario.horizon.fy_start_years())

    # ----- service capacity ----------------------------------------------------------------
    def service(self) -> Service:
        """Capacity against demand, backlog, risk and cover per team and month (worked out once)."""
        if self._service is None:
            from planner.service import service

            self._service = service(self)
        return self._service

    def net_by_year(self, year: int) -> float | None:
        """Cumulative net position (savings less one-off costs) at the end of financial year
        ``year`` of the horizon (1 = the first); None when the horizon is shorter."""
        fy = self.by_financial_year()
        if len(fy) < year:
            return None
        return float(fy["cumulative_net"].iloc[year - 1])

    # ----- monthly -----------------------------------------------------------------------
    def monthly(self) -> pd.DataFrame:
        """Organisation totals per month (worked out once; each call gets its own copy)."""
        if self._monthly is None:
            self._monthly = self._build_monthly()
        return self._monthly.copy()

    def _build_monthly(self) -> pd.DataFrame:
        run, base = self.run, self.baseline
        running, base_running = self.costs.total.sum(1), self.baseline_costs.total.sum(1)
        saving = base_running - running
        external = self.baseline_costs.external.sum(1) - self.costs.external.sum(1)
        frame = pd.DataFrame({
            "month": self.months,
            "financial_year": [fy_text(y) for y in self._fy()],
            "baseline_fte_in_post": base.occ.sum(1),
            "fte_in_post": run.occ.sum(1),
            "establishment_fte": run.est.sum(1),
            "vacant_fte": run.vacant.sum(1),
            "baseline_running_cost": base_running,
            "running_cost": running,
            "saving": saving,
            "external_saving": external,
            "core_saving": saving - external,
        })
        for line in ONE_OFF_LINES:
            frame[line] = self.one_off.lines[line].sum(1)
        frame["one_off_total"] = self.one_off.total.sum(1)
        frame["net"] = frame["saving"] - frame["one_off_total"]
        frame["cumulative_net"] = frame["net"].cumsum()
        return frame

    def team_monthly(self) -> pd.DataFrame:
        """One row per team and month: FTE, running costs, savings and one-off costs."""
        T, k = self.scenario.horizon.months, len(self.teams)
        run = self.run
        cols: dict[str, Any] = {
            "month": np.repeat(self.months, k),
            "team": np.tile(np.array(self.teams, dtype=object), T),
            "baseline_fte_in_post": self.baseline.team_totals(self.baseline.occ).ravel(),
            "fte_in_post": run.team_totals(run.occ).ravel(),
            "establishment_fte": run.team_totals(run.est).ravel(),
            "vacant_fte": run.team_totals(run.vacant).ravel(),
            "temporary_cover_fte": run.prep.cover_fte.ravel(),
            "retraining_fte_lost": (self.one_off.retraining_fte_lost.ravel()
                                    if self.one_off.retraining_fte_lost is not None
                                    else np.zeros(T * k)),
        }
        for line in RUNNING_LINES:
            cols[line] = self.costs.lines[line].ravel()
        cols["running_cost"] = self.costs.total.ravel()
        cols["baseline_running_cost"] = self.baseline_costs.total.ravel()
        cols["saving"] = cols["baseline_running_cost"] - cols["running_cost"]
        cols["one_off_total"] = self.one_off.total.ravel()
        return pd.DataFrame(cols)

    # ----- financial years ---------------------------------------------------------------
    def by_financial_year(self) -> pd.DataFrame:
        """Savings, one-off costs and net position per financial year, against the MTFP target."""
        m = self.monthly()
        m["months"] = 1
        sums = ["months", "saving", "external_saving", "core_saving", *ONE_OFF_LINES,
                "one_off_total", "net"]
        fy = m.groupby("financial_year", sort=False)[sums].sum().reset_index()
        fy["cumulative_net"] = fy["net"].cumsum()
        targets = {fy_text(y): v for y, v in self.scenario.targets.savings_by_fy}
        fy["target"] = fy["financial_year"].map(targets).astype(float)
        # MTFP targets are core-budget targets: savings on externally funded posts do not count.
        fy["gap"] = fy["core_saving"] - fy["target"]
        met = (fy["gap"] >= -0.005).astype(object)
        # A part year is not judged against a whole-year target.
        fy["target_met"] = met.where(fy["target"].notna() & (fy["months"] == 12), None)
        return fy

    # ----- bridges -----------------------------------------------------------------------
    def bridge(self) -> list[tuple[str, float]]:
        """FTE in post from the start to the end of the horizon; the steps add up exactly."""
        f = {k: float(v.sum()) for k, v in self.run.flows.items()}
        start = float(self.run.prep.occ0.sum())
        steps = [
            start,
            -(f["displaced"] + f["reduced_in_post"]),
            f["hires_existing"] - f["leavers"],
            f["redeployed"],
            f["hires_new"],
        ]
        return [*zip(BRIDGE_LABELS[:-1], steps, strict=True),
                (BRIDGE_LABELS[-1], float(self.run.occ[-1].sum()))]

    def establishment_bridge(self) -> list[tuple[str, float]]:
        """Establishment (budgeted) FTE from the start to the end of the horizon."""
        f = {k: float(v.sum()) for k, v in self.run.flows.items()}
        return [
            ("Start establishment", float(self.run.prep.fte0.sum())),
            ("Posts deleted", -f["deleted_posts"]),
            ("Deleted as they fell vacant", -f["deleted_on_vacancy"]),
            ("FTE reductions", -f["reduced"]),
            ("New posts", f["created"]),
            ("End establishment", float(self.run.est[-1].sum())),
        ]

    # ----- headline ----------------------------------------------------------------------
    def payback_month(self) -> str | None:
        """First month from which the cumulative net position stays ≥ 0.

        None when there are no one-off costs to pay back, or when the position is
        still negative at the end of the horizon.
        """
        m = self.monthly()
        cum = m["cumulative_net"].to_numpy()
        if not len(cum) or cum[-1] < 0 or m["one_off_total"].sum() <= 0:
            return None
        below = np.flatnonzero(cum < 0)
        first = 0 if not below.size else int(below[-1]) + 1
        return self.months[first]

    def full_year(self) -> tuple[str, float] | None:
        """Core-budget saving in the first whole financial year after the last dated action.

        This is the "full-year effect" (savings on externally funded posts left out).
        Falls back to the last whole financial year in the horizon when the actions
        run to the end.
        """
        fy = self.by_financial_year()
        whole = fy[fy["months"] == 12]
        if whole.empty:
            return None
        last_action = max((a.month for a in self.scenario.actions), default=None)
        if last_action is not None:
            after = whole[whole["financial_year"].map(lambda s: int(s[:4]))
                          > fy_start_year(last_action)]
            whole = after if not after.empty else whole.iloc[[-1]]
        row = whole.iloc[0]
        return str(row["financial_year"]), float(row["core_saving"])

    def kpis(self) -> dict[str, Any]:
        """Headline figures for tables, the command line and the board pack."""
        m = self.monthly()
        full = self.full_year()
        one_off = float(m["one_off_total"].sum())
        red = self.one_off.leavers
        summary = self.redeployment.summary() if self.redeployment is not None else {}
        return {
            "scenario": self.scenario.name,
            "start_fte_in_post": float(self.run.prep.occ0.sum()),
            "end_fte_in_post": float(m["fte_in_post"].iloc[-1]),
            "baseline_end_fte_in_post": float(m["baseline_fte_in_post"].iloc[-1]),
            "fte_change_vs_baseline": float(m["fte_in_post"].iloc[-1]
                                            - m["baseline_fte_in_post"].iloc[-1]),
            "establishment_change": float(self.run.est[-1].sum() - self.run.prep.fte0.sum()),
            "full_year": full[0] if full else None,
            "full_year_saving": full[1] if full else None,
            "total_saving": float(m["saving"].sum()),
            "core_saving": float(m["core_saving"].sum()),
            "external_saving": float(m["external_saving"].sum()),
            "one_off_costs": one_off,
            "redundancy_cost": float(m["redundancy"].sum()),
            "pension_strain_estimate": float(m["pension_strain"].sum()),
            "net_position": float(m["cumulative_net"].iloc[-1]),
            "payback_month": self.payback_month(),
            "redundancies_expected": float(red["chance_still_in_post"].sum()) if len(red) else 0.0,
            "people_displaced": int(summary.get("displaced", 0)),
            "people_redeployed": int(summary.get("redeployed", 0)),
            **self._fte_target(),
            "net_saving_by_year_3": self.net_by_year(3),
            **self._service_kpis(),
        }

    def _service_kpis(self) -> dict[str, Any]:
        k = self.service().kpis()
        return {key: k[key] for key in (
            "red_team_months", "amber_team_months", "teams_ever_red", "peak_backlog_weeks",
            "transition_cover_fte_months", "transition_cover_cost", "cut_before_live")}

    def _fte_target(self) -> dict[str, Any]:
        """FTE in post at the target month (default the last) against the FTE target."""
        targets = self.scenario.targets
        if targets.fte_target is None:
            return {"fte_target": None, "fte_target_month": None, "fte_at_target_month": None,
                    "fte_target_met": None}
        month = targets.fte_target_month or self.scenario.horizon.end - 1
        at = float(self.run.occ[self.scenario.horizon.index(month)].sum())
        return {"fte_target": targets.fte_target, "fte_target_month": format_month(month),
                "fte_at_target_month": at, "fte_target_met": at <= targets.fte_target + 1e-9}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (money in pounds rounded to pence, FTE to 2 dp)."""
        fy = self.by_financial_year()
        return {
            "scenario": self.scenario.name,
            "horizon": {"start": format_month(self.scenario.horizon.start),
                        "months": self.scenario.horizon.months},
            "kpis": json_record(self.kpis()),
            "by_financial_year": json_records(fy),
            "bridge": [{"step": s, "fte": round(v, 2)} for s, v in self.bridge()],
            "establishment_bridge": [{"step": s, "fte": round(v, 2)}
                                     for s, v in self.establishment_bridge()],
            "service": self._service_dict(),
            "warnings": list(self.warnings),
        }

    def _service_dict(self) -> dict[str, Any]:
        svc = self.service()
        table = svc.risk_table()
        return {
            "first_red_month": svc.kpis()["first_red_month"],
            "risk_codes": "G = green, A = amber, R = red; one letter per month from "
                          f"{format_month(self.scenario.horizon.start)}",
            "risk": {str(team): "".join(v[0] for v in row)
                     for team, row in zip(table.index, table.to_numpy(), strict=True)},
            "cut_before_live": [f.describe() for f in svc.cut_before_live],
            "pools": [{"pool": p.name, "teams": json_records(p.frame())} for p in svc.pools],
        }


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [json_record({str(k): v for k, v in r.items()}) for r in frame.to_dict("records")]


def json_record(record: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, (np.floating, float)):
            value = float(value)
            out[key] = None if np.isnan(value) else round(value, 2)
        elif isinstance(value, np.integer):
            out[key] = int(value)
        elif isinstance(value, np.bool_):
            out[key] = bool(value)
        else:
            out[key] = value
    return out
