"""Plain-text summaries of an establishment for the command line."""

from __future__ import annotations

from planner.establishment import Establishment


def money(value: float) -> str:
    return f"£{value:,.0f}"


def summary_lines(est: Establishment) -> list[str]:
    s = est.summary()
    src = est.source
    where = src.path.name + (f", sheet '{src.sheet}'" if src.sheet else "")
    header = ", ".join(str(r) for r in src.header_rows)
    lines = [
        f"{where} (header row {header}"
        + (f"; format: {src.profile}" if src.profile else "")
        + (f"; encoding: {src.encoding}" if src.encoding else "") + ")",
        f"{s.rows_read:,} rows read, {s.rows_loaded:,} loaded, {s.rows_excluded:,} excluded",
        f"Posts: {s.posts:,} ({s.posts_filled:,} filled, {s.posts_vacant:,} vacant) "
        f"in {s.teams:,} teams and {s.directorates:,} directorates",
        f"FTE: {s.fte_total:,.2f} ({s.fte_filled:,.2f} filled, {s.fte_vacant:,.2f} vacant)",
        f"Annual pay bill, filled posts (basic pay before on-costs): {money(s.annual_pay_bill)}",
        f"Establishment cost, all posts (basic pay): {money(s.establishment_cost)}",
    ]
    if s.posts_without_salary:
        lines.append(f"Posts without a salary (not costed): {s.posts_without_salary:,}")
    if not s.by_directorate.empty:
        lines.append("")
        width = max(12, *(len(str(d)) for d in s.by_directorate["directorate"]))
        lines.append(f"  {'Directorate':<{width}}  {'Posts':>6}  {'FTE filled':>10}  "
                     f"{'FTE vacant':>10}  {'Pay bill':>14}")
        for r in s.by_directorate.to_dict("records"):
            lines.append(f"  {r['directorate']:<{width}}  {r['posts']:>6,}  "
                         f"{r['fte_filled']:>10,.2f}  {r['fte_vacant']:>10,.2f}  "
                         f"{money(float(r['annual_pay_bill'])):>14}")
    counts = est.report.counts()
    lines.append("")
    lines.append(f"Data-quality report: {counts['error']:,} errors, {counts['warning']:,} "
                 f"warnings, {counts['info']:,} notes")
    return lines
