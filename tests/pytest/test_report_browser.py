"""The HTML report in a real browser: headless Chromium (Debian's package; scripts/install_browser.sh)
renders it without a console message (the page's content security policy turns any external fetch
or script into one), plotly.js drew every chart (one plot each, with its traces) in the rendered DOM, and the screenshot is not blank.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_monitoring_report import CHART_KINDS, DRIFT_DAY, DemoBuild, build_demo, run_report

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
WINDOW = (1280, 2000)
CONSOLE_LINE = re.compile(r":CONSOLE[:(]")
# What plotly.js draws for a figure: its plot, the SVG layers, and a group per drawn trace.
DRAWN = {"js-plotly-plot", "main-svg", "trace"}
# A blank 1280x2000 PNG compresses to a few kB; tables, text and charts take far more.
MIN_SCREENSHOT_BYTES = 50_000


def chromium() -> Path:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    if IN_CI:
        pytest.fail(f"{CHROMIUM} not found and CI=true: run scripts/install_browser.sh before the tests")
    pytest.skip(f"{CHROMIUM} not found (not in CI): install it with scripts/install_browser.sh to run the browser test")


def run_chromium(page: Path, profile: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--enable-logging=stderr",
        "--v=0",
        *mode,
        page.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE_LINE.search(line)]


class ChartCollector(HTMLParser):
    """Chart id -> the classes of the elements inside it, from the rendered DOM: each chart is a
    <div class="chart KIND" id=...> in which plotly.js draws."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[str]] = {}
        self._open: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if self._open is not None:
            self.charts[self._open] += classes
            self._depth += tag == "div"
        elif tag == "div" and "chart" in classes:
            self._open = attributes.get("id") or f"unnamed-{len(self.charts)}"
            self.charts[self._open] = []
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._open = None


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoBuild, Path]:
    chromium()  # skip (or fail in CI) before paying for the build
    demo = build_demo(tmp_path_factory.mktemp("browser_demo"))
    out_dir = tmp_path_factory.mktemp("browser_report")
    # The drift day: fails and warns in the tables, every chart kind on the page.
    result = run_report("--duckdb", demo.db_path, "--monitoring-date", DRIFT_DAY.isoformat(), "--out-dir", out_dir)
    assert result.returncode == 0, result.stderr
    return demo, out_dir / "monitoring_report.html"


def test_rendered_dom_has_every_chart_and_no_console_message(report: tuple[DemoBuild, Path], tmp_path: Path) -> None:
    demo, page = report
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert console_messages(result.stderr) == []
    collector = ChartCollector()
    collector.feed(result.stdout)
    expected = {f"{kind}-{model}" for kind in CHART_KINDS for model in demo.models}
    assert expected <= set(collector.charts), sorted(expected - set(collector.charts))
    undrawn = {
        chart: sorted(DRAWN - set(classes)) for chart, classes in collector.charts.items() if DRAWN - set(classes)
    }
    assert undrawn == {}, f"charts plotly did not draw (missing classes): {undrawn}"
    plots = {chart: classes.count("js-plotly-plot") for chart, classes in collector.charts.items()}
    assert set(plots.values()) == {1}, plots


def test_screenshot_is_not_blank(report: tuple[DemoBuild, Path], tmp_path: Path) -> None:
    _, page = report
    screenshot = tmp_path / "report.png"
    result = run_chromium(page, tmp_path / "profile", f"--screenshot={screenshot}")
    assert console_messages(result.stderr) == []
    assert screenshot.is_file(), result.stderr[-3000:]
    assert png_size(screenshot) == WINDOW
    assert screenshot.stat().st_size > MIN_SCREENSHOT_BYTES


def test_console_messages_are_caught(tmp_path: Path) -> None:
    """The detector itself: a page under the same policy that fetches an image and runs a script."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><img src="https://example.invalid/x.png"><script>missing()</script></body></html>'
    )
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert len(console_messages(result.stderr)) == 2, result.stderr[-3000:]
