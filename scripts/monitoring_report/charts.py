"""Small hand-written SVG charts: the page must open offline and pass a strict content security
policy, so there is no chart library; each function returns one <svg class="chart" id=...> element."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

from .readers import Row

WIDTH, HEIGHT = 560, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 30, 48


@dataclass(frozen=True)
class Plot:
    """Maps data coordinates into the plot area of a WIDTH x HEIGHT chart."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def x(self, value: float) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return MARGIN_LEFT + (value - self.x_min) / span * (WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return HEIGHT - MARGIN_BOTTOM - (value - self.y_min) / span * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def slug(name: str) -> str:
    """An HTML id fragment for a model name (ids must be stable for tests and links)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "model"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def percent(share: float) -> str:
    return f"{share * 100:g}%"


def _svg(chart_id: str, kind: str, title: str, body: list[str]) -> Markup:
    title_id = f"{chart_id}-title"
    return Markup(
        f'<svg class="chart {kind}" id="{chart_id}" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<text class="chart-title" x="{MARGIN_LEFT}" y="18">{escape(title)}</text>' + "".join(body) + "</svg>"
    )


def _y_axis(plot: Plot, ticks: Sequence[float], label: Callable[[float], str] = "{:g}".format) -> list[str]:
    parts = []
    for tick in ticks:
        y = plot.y(tick)
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
    return parts


def _x_label(x: float, text: str) -> str:
    return (
        f'<text class="tick" x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle">{escape(text)}</text>'
    )


def _legend(entries: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], WIDTH - MARGIN_RIGHT
    for label, css in reversed(entries):
        x -= 8 * len(label) + 24
        parts.append(f'<rect class="{css}" x="{x}" y="{HEIGHT - 18}" width="12" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 16}" y="{HEIGHT - 9}">{escape(label)}</text>')
    return parts


def score_distribution_chart(model: str, bins: Sequence[Row]) -> Markup:
    """Current vs reference share per score bin (the reference deciles of score_bins_daily)."""
    top = max(
        (share for row in bins for share in (row["current_share"], row["reference_share"]) if share is not None),
        default=0.0,
    )
    plot = Plot(0, len(bins), 0, nice_ticks(0, top or 0.1)[-1])
    body = _y_axis(plot, nice_ticks(0, plot.y_max), percent)
    slot = plot.x(1) - plot.x(0)
    for index, row in enumerate(bins):
        for offset, (name, css) in enumerate(
            (("reference_share", "series-reference"), ("current_share", "series-current"))
        ):
            share = row[name]
            if share is None:
                continue
            x = plot.x(index) + slot * (0.1 + 0.4 * offset)
            body.append(
                f'<rect class="{css}" x="{x:.1f}" y="{plot.y(share):.1f}" width="{slot * 0.4:.1f}" '
                f'height="{plot.y(0) - plot.y(share):.1f}"><title>bin {row["bin_index"]} {name}: {share:.2%}</title></rect>'
            )
        lower, upper = row["lower_edge"], row["upper_edge"]
        label = (
            f"<{upper:.2f}"
            if lower is None and upper is not None
            else f"≥{lower:.2f}"
            if upper is None and lower is not None
            else f"{lower:.2f}"
            if lower is not None
            else "all"
        )
        body.append(_x_label(plot.x(index + 0.5), label))
    body += _legend((("reference", "series-reference"), ("current", "series-current")))
    return _svg(
        f"score-distribution-{slug(model)}", "score-distribution", f"{model}: score distribution vs reference", body
    )


def line_chart(
    chart_id: str,
    kind: str,
    title: str,
    points: Sequence[tuple[date, float | None]],
    thresholds: Sequence[tuple[str, float]] = (),
    value_label: Callable[[float], str] = "{:g}".format,
) -> Markup:
    """One series over dates; a gap where the value is NULL; dashed threshold lines; the last date marked."""
    values = [value for _, value in points if value is not None] + [value for _, value in thresholds]
    days = [(day - points[0][0]).days for day, _ in points]
    ticks = nice_ticks(min([0.0, *values]), max(values, default=1.0) or 1.0)
    plot = Plot(0, max(days[-1], 1), ticks[0], ticks[-1])
    body = _y_axis(plot, ticks, value_label)
    for index in sorted({0, len(points) // 2, len(points) - 1}):
        body.append(_x_label(plot.x(days[index]), points[index][0].strftime("%m-%d")))
    for label, value in thresholds:
        y = plot.y(value)
        body.append(
            f'<line class="threshold threshold-{label}" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        body.append(
            f'<text class="threshold-label" x="{WIDTH - MARGIN_RIGHT - 2}" y="{y - 3:.1f}" text-anchor="end">{label} {value:g}</text>'
        )
    # Lines first, points on top; a NULL value (e.g. no reference on the first date) breaks the line.
    segments: list[list[str]] = [[]]
    circles = []
    for day, (when, value) in zip(days, points, strict=True):
        if value is None:
            segments.append([])
            continue
        segments[-1].append(f"{plot.x(day):.1f},{plot.y(value):.1f}")
        circles.append(
            f'<circle class="point" cx="{plot.x(day):.1f}" cy="{plot.y(value):.1f}" r="2.5"><title>{when}: {value:.4g}</title></circle>'
        )
    body += [
        f'<polyline class="series-line" points="{" ".join(segment)}"/>' for segment in segments if len(segment) > 1
    ]
    body += circles
    if not values:
        body.append(f'<text class="no-data" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no values yet</text>')
    return _svg(chart_id, kind, title, body)


def reliability_chart(model: str, cohort: date, bins: Sequence[Row]) -> Markup:
    """Observed rate against mean score per calibration bin; on the diagonal means calibrated."""
    plot = Plot(0, 1, 0, 1)
    ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    body = _y_axis(plot, ticks)
    body += [_x_label(plot.x(tick), f"{tick:g}") for tick in ticks]
    body.append(
        f'<line class="diagonal" x1="{plot.x(0):.1f}" y1="{plot.y(0):.1f}" x2="{plot.x(1):.1f}" y2="{plot.y(1):.1f}"/>'
    )
    used = [
        row for row in bins if row["row_count"] and row["mean_score"] is not None and row["observed_rate"] is not None
    ]
    largest = max((row["row_count"] for row in used), default=1)
    if len(used) > 1:
        path = " ".join(f"{plot.x(row['mean_score']):.1f},{plot.y(row['observed_rate']):.1f}" for row in used)
        body.append(f'<polyline class="series-line" points="{path}"/>')
    for row in used:
        radius = 2.5 + 5.5 * math.sqrt(row["row_count"] / largest)
        body.append(
            f'<circle class="point" cx="{plot.x(row["mean_score"]):.1f}" cy="{plot.y(row["observed_rate"]):.1f}" r="{radius:.1f}">'
            f"<title>bin {row['bin_index']}: mean score {row['mean_score']:.3f}, observed {row['observed_rate']:.3f}, "
            f"{row['row_count']} rows</title></circle>"
        )
    body.append(f'<text class="axis-label" x="{WIDTH / 2}" y="{HEIGHT - 14}" text-anchor="middle">mean score</text>')
    body.append(
        f'<text class="axis-label" transform="rotate(-90)" x="{-HEIGHT / 2}" y="14" text-anchor="middle">observed rate</text>'
    )
    return _svg(f"reliability-{slug(model)}", "reliability", f"{model}: reliability, cohort {cohort}", body)


def top_features_chart(model: str, features: Sequence[Row], statuses: dict[str, str]) -> Markup:
    """Feature PSI on the monitoring date, largest first, each bar coloured by its feature_psi check."""
    row_height = (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / max(len(features), 1)
    top = max((row["psi"] for row in features), default=0.0)
    ticks = nice_ticks(0, top or 0.1)
    left = 150  # room for feature names
    span = WIDTH - MARGIN_RIGHT - left
    body = []
    for tick in ticks:
        x = left + tick / ticks[-1] * span
        body.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" y2="{HEIGHT - MARGIN_BOTTOM}"/>')
        body.append(_x_label(x, f"{tick:g}"))
    for index, row in enumerate(features):
        y = MARGIN_TOP + index * row_height
        status = statuses.get(row["feature_name"], "unknown")
        width = row["psi"] / ticks[-1] * span
        body.append(
            f'<rect class="bar status-{escape(status)}" x="{left}" y="{y + row_height * 0.15:.1f}" width="{max(width, 1):.1f}" '
            f'height="{row_height * 0.7:.1f}"><title>{escape(row["feature_name"])}: PSI {row["psi"]:.4g} ({escape(status)})</title></rect>'
        )
        body.append(
            f'<text class="tick" x="{left - 6}" y="{y + row_height * 0.5 + 4:.1f}" text-anchor="end">{escape(row["feature_name"])}</text>'
        )
    body.append(f'<text class="axis-label" x="{(left + WIDTH) / 2}" y="{HEIGHT - 14}" text-anchor="middle">PSI</text>')
    return _svg(f"top-features-{slug(model)}", "top-features", f"{model}: top drifting features", body)
