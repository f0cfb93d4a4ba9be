"""The results as one Markdown table, each measure beside its ratio to peerwised's."""

from __future__ import annotations

from collections.abc import Sequence

from bench.measure import Result

REFERENCE = "peerwised"
# (header, Result field, format)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("propagation s", "propagation_s", "{:.2f}"),
    ("CPU s", "cpu_s", "{:.2f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
    ("B/route", "bytes_per_route", "{:,.0f}"),
)
LATE = ("initial export s", "initial_export_s", "{:.2f}")  # with run.py --late
DASH = "—"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return DASH
    return f"{value / reference:.2f}×"


def _row(
    result: Result, reference: Result | None, columns: Sequence[tuple[str, str, str]]
) -> list[str]:
    cells = [result.target, result.case]
    if not result.ok:
        return [*cells, result.status, *[DASH] * (2 * len(columns) - 1)]
    for _, attr, fmt in columns:
        value = getattr(result, attr)
        ref = getattr(reference, attr) if reference is not None and reference.ok else None
        cells += [DASH if value is None else fmt.format(value), _ratio(value, ref)]
    return cells


def table(results: Sequence[Result]) -> str:
    """Markdown; ratios are to peerwised's result for the same case (— when it has none)."""
    refs = {r.case: r for r in results if r.target == REFERENCE}
    late = any(r.initial_export_s is not None for r in results)
    columns = (*COLUMNS, LATE) if late else COLUMNS
    header = ["target", "routes"]
    for name, _, _ in columns:
        header += [name, "× pw"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for result in results:
        cells = _row(result, refs.get(result.case), columns)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)
