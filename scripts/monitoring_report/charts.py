"""The report's charts, drawn by plotly.js in the browser: each function returns one
<div class="chart KIND" id=...> holding a figure without the library, which the page inlines once
(plotly_js) so that it opens offline under its content security policy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import plotly.graph_objects as go
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from .readers import Row

WIDTH, HEIGHT = 560, 300
# The page's status colours (templates/report.html.j2); a feature without a check is "unknown".
STATUS_COLORS = {"pass": "#2e7d32", "warn": "#c77700", "fail": "#c62828", "unknown": "#90a4ae"}
SERIES, REFERENCE = "#1565c0", "#b0bec5"
CRITICAL = "#1f2933"  # psi_critical_value: what sampling noise alone exceeds with probability ~drift_alpha
# Lines beside SERIES on one chart: latency p50 and p99 around p95, reviews beside decisions.
LIGHT_SERIES, DARK_SERIES, SECOND_SERIES = "#90caf9", "#0d47a1", "#8e24aa"
# A small template of our own: plotly's default one would be embedded, ~10 kB, in every figure.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "system-ui, sans-serif", "size": 11, "color": "#1f2933"},
        "title": {"font": {"size": 13}, "x": 0.01},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "xaxis": {"gridcolor": "#eef0f2", "zeroline": False, "automargin": True},
        "yaxis": {"gridcolor": "#eef0f2", "zeroline": False, "automargin": True},
        "legend": {"orientation": "h", "y": -0.25},
        "hovermode": "closest",
    }
)
ALERT_STATES = ("open", "resolved")  # monitoring_alerts.alert_state
DAY_MS = 86_400_000  # a bar's length on a date axis is in milliseconds
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]}


@cache
def plotly_js() -> Markup:
    """plotly.js, for one <script> in the page head."""
    return Markup(get_plotlyjs())


def slug(name: str) -> str:
    """An HTML id fragment for a model name (ids must be stable for tests and links)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "model"


def _chart(figure: go.Figure, chart_id: str, kind: str, title: str, height: int = HEIGHT) -> Markup:
    figure.update_layout(
        template=TEMPLATE,
        title={"text": title},
        width=WIDTH,
        height=height,
        margin={"l": 56, "r": 16, "t": 36, "b": 48},
    )
    plot = figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"{chart_id}-plot", config=CONFIG)
    return Markup(f'<div class="chart {kind}" id="{chart_id}">{plot}</div>')


def _bin_label(row: Row) -> str:
    lower, upper = row["lower_edge"], row["upper_edge"]
    if lower is None:
        return "all" if upper is None else f"<{upper:.2f}"
    return f"≥{lower:.2f}" if upper is None else f"{lower:.2f}"


def score_distribution_chart(model: str, bins: Sequence[Row]) -> Markup:
    """Current vs reference share per score bin (the reference deciles of score_bins_daily)."""
    labels = [_bin_label(row) for row in bins]
    figure = go.Figure(
        [
            go.Bar(
                name=name,
                x=labels,
                y=[row[f"{name}_share"] for row in bins],
                customdata=[row["bin_index"] for row in bins],
                marker_color=color,
                hovertemplate=f"bin %{{customdata}} (%{{x}}) {name}: %{{y:.2%}}<extra></extra>",
            )
            for name, color in (("reference", REFERENCE), ("current", SERIES))
        ]
    )
    figure.update_layout(barmode="group", yaxis_tickformat=".0%", xaxis_type="category")
    return _chart(
        figure, f"score-distribution-{slug(model)}", "score-distribution", f"{model}: score distribution vs reference"
    )


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: (date, value) points, a gap where the value is NULL."""

    name: str
    points: Sequence[tuple[date, float | None]]
    color: str = SERIES
    dash: str | None = None  # None: a solid line with markers; "dot", "dash": a thin line
    mode: str | None = None  # plotly's mode, when neither of those ("markers": points only)


def _line_style(line: Series) -> dict[str, str | int]:
    return {"color": line.color} if line.dash is None else {"color": line.color, "dash": line.dash, "width": 1}


def trend_chart(
    chart_id: str,
    kind: str,
    title: str,
    series: Sequence[Series],
    thresholds: Sequence[tuple[str, float]] = (),
    value_format: str = ".4g",
) -> Markup:
    """Series over dates on one axis (a legend when there are two or more) and dashed warn and fail
    threshold lines."""
    figure = go.Figure(
        [
            go.Scatter(
                name=line.name,
                x=[day for day, _ in line.points],
                y=[value for _, value in line.points],
                mode=line.mode or ("lines+markers" if line.dash is None else "lines"),
                line=_line_style(line),
                connectgaps=False,
                hovertemplate=f"%{{x|%Y-%m-%d}}: {line.name} %{{y:{value_format}}}<extra></extra>",
                showlegend=len(series) > 1,
            )
            for line in series
        ]
    )
    for label, value in thresholds:
        figure.add_hline(
            y=value,
            line_dash="dash",
            line_color=STATUS_COLORS[label],
            annotation_text=f"{label} {value:g}",
            annotation_position="top right",
        )
    figure.update_layout(xaxis={"type": "date", "tickformat": "%m-%d"}, yaxis_rangemode="tozero")
    return _chart(figure, chart_id, kind, title)


def line_chart(
    chart_id: str,
    kind: str,
    title: str,
    points: Sequence[tuple[date, float | None]],
    thresholds: Sequence[tuple[str, float]] = (),
    value_format: str = ".4g",
    critical_values: Sequence[tuple[date, float | None]] = (),
    series_name: str = "value",
) -> Markup:
    """One series over dates (trend_chart); a dotted line of the critical values (sampling noise), when given."""
    critical = [Series("critical value", critical_values, CRITICAL, "dot")] if critical_values else []
    return trend_chart(chart_id, kind, title, [Series(series_name, points), *critical], thresholds, value_format)


def auc_chart(model: str, estimates: Sequence[Row], cohorts: Sequence[Row], errors: dict[date, Row]) -> Markup:
    """estimated_auc of estimated_performance_daily and the realized auc of model_performance_daily's due
    cohorts on one date axis (a cohort at its score_date); each realized point coloured by the status of
    its cohort's estimation_error check (errors, by score_date), grey where there is none."""
    status = [errors[row["score_date"]]["status"] if row["score_date"] in errors else "unknown" for row in cohorts]
    figure = go.Figure(
        [
            go.Scatter(
                name="estimated AUC",
                x=[row["score_date"] for row in estimates],
                y=[row["estimated_auc"] for row in estimates],
                mode="lines+markers",
                line_color=SERIES,
                connectgaps=False,
                hovertemplate="%{x|%Y-%m-%d}: estimated AUC %{y:.4g}<extra></extra>",
            ),
            go.Scatter(
                name="realized AUC (due cohorts)",
                x=[row["score_date"] for row in cohorts],
                y=[row["auc"] for row in cohorts],
                mode="lines+markers",
                line={"color": CRITICAL, "dash": "dot", "width": 1},
                marker={
                    "size": 9,
                    "symbol": "diamond",
                    "color": [STATUS_COLORS.get(name, STATUS_COLORS["unknown"]) for name in status],
                },
                connectgaps=False,
                customdata=[
                    errors[row["score_date"]]["message"] if row["score_date"] in errors else "no estimation_error check"
                    for row in cohorts
                ],
                hovertemplate="cohort %{x|%Y-%m-%d}: realized AUC %{y:.4g}<br>%{customdata}<extra></extra>",
            ),
        ]
    )
    figure.update_layout(xaxis={"type": "date", "tickformat": "%m-%d"}, yaxis_title_text="AUC")
    return _chart(figure, f"auc-trend-{slug(model)}", "auc-trend", f"{model}: AUC, estimated and realized")


def reliability_chart(model: str, cohort: date, bins: Sequence[Row]) -> Markup:
    """Observed rate against mean score per calibration bin; on the diagonal means calibrated."""
    used = [
        row for row in bins if row["row_count"] and row["mean_score"] is not None and row["observed_rate"] is not None
    ]
    largest = max((row["row_count"] for row in used), default=1)
    figure = go.Figure(
        [
            go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dash", "color": "#90a4ae"}, hoverinfo="skip"),
            go.Scatter(
                x=[row["mean_score"] for row in used],
                y=[row["observed_rate"] for row in used],
                customdata=[[row["bin_index"], row["row_count"]] for row in used],
                mode="lines+markers",
                line_color=SERIES,
                marker={"size": [6 + 10 * (row["row_count"] / largest) ** 0.5 for row in used]},
                hovertemplate="bin %{customdata[0]}: mean score %{x:.3f}, observed %{y:.3f}, "
                "%{customdata[1]} rows<extra></extra>",
            ),
        ]
    )
    figure.update_layout(
        showlegend=False,
        xaxis={"range": [0, 1], "title": {"text": "mean score"}},
        yaxis={"range": [0, 1], "title": {"text": "observed rate"}},
    )
    return _chart(figure, f"reliability-{slug(model)}", "reliability", f"{model}: reliability, cohort {cohort}")


def top_features_chart(model: str, features: Sequence[Row], statuses: dict[str, str]) -> Markup:
    """Feature PSI on the monitoring date, largest on top, each bar coloured by its feature_psi check,
    and a tick at each feature's psi_critical_value."""
    shown = list(reversed(features))  # plotly draws the first category at the bottom
    status = [statuses.get(row["feature_name"], "unknown") for row in shown]
    figure = go.Figure(
        [
            go.Bar(
                name="PSI",
                x=[row["psi"] for row in shown],
                y=[row["feature_name"] for row in shown],
                orientation="h",
                customdata=status,
                marker_color=[STATUS_COLORS.get(name, STATUS_COLORS["unknown"]) for name in status],
                hovertemplate="%{y}: PSI %{x:.4g} (%{customdata})<extra></extra>",
            ),
            go.Scatter(
                name="critical value",
                x=[row["psi_critical_value"] for row in shown],
                y=[row["feature_name"] for row in shown],
                mode="markers",
                marker={"symbol": "line-ns-open", "size": 14, "color": CRITICAL, "line": {"width": 2}},
                hovertemplate="%{y}: critical value %{x:.4g}<extra></extra>",
            ),
        ]
    )
    figure.update_layout(xaxis_title_text="PSI", yaxis_type="category")
    return _chart(figure, f"top-features-{slug(model)}", "top-features", f"{model}: top drifting features")


def _alert_label(row: Row) -> str:
    return f"{row['check_name']} [{row['subject']}]" if row["subject"] else row["check_name"]


def alert_timeline_chart(model: str, alerts: Sequence[Row]) -> Markup:
    """One bar per alert of monitoring_alerts, from first_seen to resolved_on (an open alert: through
    last_seen), one trace per alert_state, coloured by worst_status; a diamond where it escalated."""
    traces: list[go.Bar | go.Scatter] = []
    for state in ALERT_STATES:
        rows = [row for row in alerts if row["alert_state"] == state]
        ends = [row["resolved_on"] or row["last_seen"] + timedelta(days=1) for row in rows]
        traces.append(
            go.Bar(
                name=state,
                orientation="h",
                y=[_alert_label(row) for row in rows],
                base=[row["first_seen"] for row in rows],
                x=[(end - row["first_seen"]).days * DAY_MS for row, end in zip(rows, ends, strict=True)],
                marker_color=[STATUS_COLORS[row["worst_status"]] for row in rows],
                opacity=1.0 if state == "open" else 0.4,
                customdata=[
                    [
                        row["alert_id"],
                        row["alert_state"],
                        row["worst_status"],
                        row["first_seen"],
                        row["last_seen"],
                        row["resolved_on"] or "-",
                        row["consecutive_runs"],
                        row["latest_message"],
                    ]
                    for row in rows
                ],
                hovertemplate="%{customdata[1]} (worst %{customdata[2]}): %{customdata[0]}<br>"
                "first seen %{customdata[3]}, last seen %{customdata[4]}, resolved %{customdata[5]}, "
                "%{customdata[6]} breaching runs<br>%{customdata[7]}<extra></extra>",
            )
        )
    escalated = [row for row in alerts if row["escalated_on"] is not None]
    traces.append(
        go.Scatter(
            name="escalated",
            mode="markers",
            x=[row["escalated_on"] for row in escalated],
            y=[_alert_label(row) for row in escalated],
            customdata=[row["alert_id"] for row in escalated],
            marker={"symbol": "diamond", "size": 10, "color": "#1f2933"},
            hovertemplate="escalated to fail on %{x|%Y-%m-%d}: %{customdata}<extra></extra>",
        )
    )
    figure = go.Figure(traces)
    figure.update_layout(
        barmode="overlay",
        xaxis={"type": "date", "tickformat": "%m-%d"},
        yaxis={"type": "category", "autorange": "reversed"},
        legend={"y": 1.0, "x": 1.0, "xanchor": "right", "yanchor": "bottom", "orientation": "h"},
    )
    labels = {_alert_label(row) for row in alerts}
    return _chart(
        figure,
        f"alert-timeline-{slug(model)}",
        "alert-timeline",
        f"{model}: alerts (states as the last build left them)",
        height=max(HEIGHT, 110 + 18 * len(labels)),
    )
