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
DASH = "—"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return DASH
    return f"{value / reference:.2f}×"


def _row(result: Result, reference: Result | None) -> list[str]:
    cells = [result.target, result.case]
    if not result.ok:
        return [*cells, result.status, *[DASH] * (2 * len(COLUMNS) - 1)]
    for _, attr, fmt in COLUMNS:
        value = getattr(result, attr)
        ref = getattr(reference, attr) if reference is not None and reference.ok else None
        cells += [fmt.format(value), _ratio(value, ref)]
    return cells


def table(results: Sequence[Result]) -> str:
    """Markdown; ratios are to peerwised's result for the same case (— when it has none)."""
    refs = {r.case: r for r in results if r.target == REFERENCE}
    header = ["target", "routes"]
    for name, _, _ in COLUMNS:
        header += [name, "× pw"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for result in results:
        cells = _row(result, refs.get(result.case))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)
