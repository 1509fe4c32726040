"""`dbt docs generate` works on a real build, and the docs are complete: every model has a
description, and every column the warehouse has for a model (the catalog) is described in yml,
except the user's own segment and feature columns that staging passes through by name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import demo_project


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    workdir = tmp_path_factory.mktemp("docs")
    project = demo_project(workdir, rows_per_day=300, days=10)
    project.build_gate_may_fail()
    result = project.dbt("docs", "generate")
    assert result.returncode == 0, result.stdout[-4000:]
    target = workdir / "target"
    assert (target / "index.html").exists()
    configured = {
        column
        for name in ("segment_columns", "numeric_features", "categorical_features")
        for column in project.base_vars[name]
    }
    assert configured
    return (
        json.loads((target / "manifest.json").read_text()),
        json.loads((target / "catalog.json").read_text()),
        configured,
    )


def project_models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "score_monitoring"
    }


def test_every_model_is_described(docs: tuple[dict[str, Any], dict[str, Any], set[str]]) -> None:
    manifest, _, _ = docs
    models = project_models(manifest)
    assert len(models) >= 20
    undescribed = sorted(node["name"] for node in models.values() if not node["description"].strip())
    assert undescribed == []


def test_every_built_column_is_described(docs: tuple[dict[str, Any], dict[str, Any], set[str]]) -> None:
    manifest, catalog, configured = docs
    missing = []
    for unique_id, node in project_models(manifest).items():
        built_columns = {name.lower() for name in catalog["nodes"][unique_id]["columns"]}
        assert built_columns, node["name"]
        described = {name.lower() for name, column in node["columns"].items() if column.get("description", "").strip()}
        missing += [f"{node['name']}.{column}" for column in sorted(built_columns - described - configured)]
    assert missing == [], "\n".join(missing)


# Rows of the inputs, and of the views over them, are not unique by design: duplicates are measured.
KEYLESS_MODELS = {"stg_scores", "stg_labels", "stg_reference_profile", "int_drift_values", "int_label_matches"}


def test_every_keyed_model_has_a_grain_test(docs: tuple[dict[str, Any], dict[str, Any], set[str]]) -> None:
    """dbt-project-evaluator's primary-key rule (off in dbt_project.yml), with the keyless models named."""
    manifest, _, _ = docs
    models = project_models(manifest)
    tested = {
        parent
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") in ("unique_combination", "unique")
        for parent in node["depends_on"]["nodes"]
    }
    names = {node["name"] for node in models.values()}
    assert KEYLESS_MODELS <= names
    untested = {node["name"] for unique_id, node in models.items() if unique_id not in tested}
    assert untested == KEYLESS_MODELS
