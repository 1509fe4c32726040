"""Exit non-zero when a dbt invocation failed for any reason other than the allowed nodes.

The demo expects its release gate to fail (the demo data is miscalibrated on purpose); every
other error, failure or skip in run_results.json is a real problem and stops the demo.

Example: python scripts/check_build_result.py --run-results target/run_results.json --allow release_gate_fail
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BAD_STATUSES = {"error", "fail", "skipped", "runtime error"}


def unexpected_failures(results: list[dict[str, object]], allowed: set[str]) -> list[str]:
    """The unique_ids of results with a bad status whose node name is not allowed."""
    return [
        str(result["unique_id"])
        for result in results
        if str(result["status"]).lower() in BAD_STATUSES and str(result["unique_id"]).split(".")[2] not in allowed
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-results", type=Path, required=True)
    parser.add_argument("--allow", action="append", default=[], help="node name whose failure is expected")
    args = parser.parse_args()
    if not args.run_results.is_file():
        parser.error(f"no run results at {args.run_results}: did dbt run?")
    results = json.loads(args.run_results.read_text())["results"]
    failures = unexpected_failures(results, set(args.allow))
    for unique_id in failures:
        print(f"dbt failed: {unique_id}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
