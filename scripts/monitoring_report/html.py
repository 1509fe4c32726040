"""The HTML page: one section per model with its charts and tables (templates/report.html.j2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .charts import (
    STATUS_COLORS,
    alert_timeline_chart,
    line_chart,
    plotly_js,
    reliability_chart,
    score_distribution_chart,
    slug,
    top_features_chart,
)
from .readers import Row
from .snapshot import ReportData, format_number

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TOP_FEATURES = 10
TOP_SEGMENT_GAPS = 10


@dataclass(frozen=True)
class ModelSection:
    name: str
    slug: str
    status: Row
    score_distribution: Markup | None
    psi_trend: Markup | None
    volume_trend: Markup | None
    reliability: Markup | None
    top_features: Markup | None
    alert_timeline: Markup | None
    features: list[Row]
    performance: Row | None


def _thresholds(checks: Sequence[Row], model: str, check_name: str) -> list[tuple[str, float]]:
    for check in checks:
        if check["model_name"] == model and check["check_name"] == check_name and check["subject"] is None:
            return [
                (label, check[f"{label}_threshold"])
                for label in ("warn", "fail")
                if check[f"{label}_threshold"] is not None
            ]
    return []


def build_model_sections(data: ReportData) -> list[ModelSection]:
    sections = []
    for model in data.models:
        status = next(row for row in data.status if row["model_name"] == model)
        bins = [row for row in data.score_bins if row["model_name"] == model]
        drift = [(row["score_date"], row["psi"]) for row in data.drift if row["model_name"] == model]
        volume = [(row["score_date"], row["row_count"]) for row in data.health if row["model_name"] == model]
        features = sorted(
            (row for row in data.feature_drift if row["model_name"] == model and row["psi"] is not None),
            key=lambda row: (-row["psi"], row["feature_name"]),
        )[:TOP_FEATURES]
        feature_status = {
            check["subject"]: check["status"]
            for check in data.checks
            if check["model_name"] == model and check["check_name"] == "feature_psi"
        }
        calibration = sorted(
            (row for row in data.calibration or [] if row["model_name"] == model), key=lambda row: row["bin_index"]
        )
        alerts = [row for row in data.alerts if row["model_name"] == model]
        performance = next((row for row in data.performance or [] if row["model_name"] == model), None)
        sections.append(
            ModelSection(
                name=model,
                slug=slug(model),
                status=status,
                score_distribution=score_distribution_chart(model, bins) if bins else None,
                psi_trend=line_chart(
                    f"psi-trend-{slug(model)}",
                    "psi-trend",
                    f"{model}: score PSI",
                    drift,
                    _thresholds(data.checks, model, "score_psi"),
                )
                if drift
                else None,
                volume_trend=line_chart(
                    f"volume-trend-{slug(model)}",
                    "volume-trend",
                    f"{model}: rows scored per day",
                    volume,
                    (),
                    ",.0f",
                )
                if volume
                else None,
                reliability=reliability_chart(model, calibration[0]["score_date"], calibration)
                if calibration
                else None,
                top_features=top_features_chart(model, features, feature_status) if features else None,
                alert_timeline=alert_timeline_chart(model, alerts) if alerts else None,
                features=[{**row, "status": feature_status.get(row["feature_name"])} for row in features],
                performance=performance,
            )
        )
    return sections


def render_html(data: ReportData, snapshot: dict[str, Any]) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = format_number
    environment.filters["slug"] = slug
    segment_gaps = sorted(
        (row for row in data.segment_calibration or [] if row["calibration_gap"] is not None),
        key=lambda row: -row["calibration_gap"],
    )[:TOP_SEGMENT_GAPS]
    return environment.get_template("report.html.j2").render(
        plotly_js=plotly_js(),
        status_colors=STATUS_COLORS,
        snapshot=snapshot,
        sections=build_model_sections(data),
        label_tables_present=data.performance is not None or data.calibration is not None,
        segment_gaps=segment_gaps,
    )
