"""Reports of a finished run in every format, with hostile labels; errors for bad requests."""

from __future__ import annotations

import csv
import io
import re
import uuid
from html.parser import HTMLParser

import pytest

from tests.conftest import ARTIFACTS
from tests.reports.conftest import XSS, finish_run, scenario_with

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    """Every start tag and attribute name in a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.update(name for name, _ in attrs)


def _metrics_count(run) -> int:
    return run.frames.filter(type="metrics").count()


def test_html_report_is_self_contained_escaped_and_complete(api, done_run):
    response = api.get(f"/api/runs/{done_run.pk}/report?format=html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    csp = response["Content-Security-Policy"]
    assert csp == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    html = response.content.decode()
    # The hostile label is text, never markup.
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;b&gt;API&lt;/b&gt;" in html
    parser = _Tags()
    parser.feed(html)
    assert "img" not in parser.tags
    assert "script" not in parser.tags
    assert not any(a.startswith("on") for a in parser.attrs)
    # Self-contained: no URL is fetched (the SVG namespace is an identifier, not a fetch).
    urls = set(re.findall(r"(?:src|href)=[\"']([^\"']+)", html))
    assert not urls, urls
    assert "http://www.w3.org/2000/svg" in html
    assert "https://" not in html
    # Content: topology, key metrics, per node, charts, events, parameters and seed.
    assert parser.tags.count("svg") == 4  # topology + throughput, latency, errors
    assert parser.tags.count("circle") == 3
    assert parser.tags.count("polyline") >= 5
    for text in (
        "Key metrics",
        "Per node",
        "Notable events",
        "crash db",
        "restart db",
        "settings.seed",
        "service_time_ms=10",
        "seed 7",
        "api-1: errors",
    ):
        assert text in html, text  # fmt: skip


def test_html_report_explains_the_template_pattern(api, db):
    from apps.scenarios import gallery

    template = gallery.template_get("client-server")
    data = template.scenario
    data["settings"].update(duration_s=3, warmup_s=0)
    run = finish_run(data)
    html = api.get(f"/api/runs/{run.pk}/report").content.decode()
    assert "The pattern: Client-server" in html
    assert "M/M/1" in html  # from the template's meta description


def test_csv_has_one_row_per_metrics_message(api, done_run):
    response = api.get(f"/api/runs/{done_run.pk}/report?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == _metrics_count(done_run) == 20  # 5 s at 4 windows a second
    assert [float(r["t"]) for r in rows] == sorted(float(r["t"]) for r in rows)
    assert int(rows[-1]["requests"]) == done_run.result["summary"]["requests"]
    assert set(rows[0]) >= {"throughput_rps", "latency_p99_ms", "completed", "failed"}


def test_json_bundle_shape(api, done_run):
    body = api.get(f"/api/runs/{done_run.pk}/report?format=json").json()
    assert body["format"] == "topolab.report/1"
    assert body["seed"] == 7
    assert body["scenario"]["nodes"][0]["label"] == XSS
    assert body["result"] == done_run.result


def test_pdf_renders_a_non_blank_first_page(api, done_run):
    import pypdfium2 as pdfium

    response = api.get(f"/api/runs/{done_run.pk}/report?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(response.content)
    assert len(pdf) >= 2
    page = pdf[0].render(scale=1.5).to_pil()
    image = page.convert("L")
    pixels = list(image.tobytes())
    mean = sum(pixels) / len(pixels)
    variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
    assert variance > 200, variance  # a blank page has variance 0
    assert sum(1 for p in pixels if p < 128) > 2000  # text and drawings
    text = pdf[0].get_textpage().get_text_range()
    assert "Reports slice" in text
    assert XSS in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.save(ARTIFACTS / "report-page1.png")


def test_replay_format_embeds_the_log_safely(api, done_run):
    response = api.get(f"/api/runs/{done_run.pk}/replay.html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'unsafe-inline'" in response["Content-Security-Policy"]
    # Exactly the two script elements of the page: the label's </script> did not end one.
    assert html.count("</script>") == 2
    assert "\\u003c/script\\u003e" in html
    same = api.get(f"/api/runs/{done_run.pk}/report?format=replay")
    assert same.status_code == 200
    assert same.content == response.content


def test_unknown_format_is_400_naming_it(api, done_run):
    response = api.get(f"/api/runs/{done_run.pk}/report?format=docx")
    assert response.status_code == 400
    assert "'docx'" in response.json()["error"]


def test_unknown_run_is_404(api, db):
    assert api.get(f"/api/runs/{uuid.uuid4()}/report").status_code == 404
    assert api.get("/api/runs/not-a-uuid/report").status_code == 404
    assert api.get(f"/api/runs/{uuid.uuid4()}/replay.html").status_code == 404


def test_unfinished_run_is_409(api, db):
    from apps.runs.services import run_start
    from apps.scenarios.services import scenario_create

    scenario, _ = scenario_create(data=scenario_with(), session_key=None)
    run = run_start(scenario=scenario)  # queued: no task is sent inside the test transaction
    for fmt in ("html", "pdf", "csv", "json", "replay"):
        response = api.get(f"/api/runs/{run.pk}/report?format={fmt}")
        assert response.status_code == 409, fmt
        assert "queued" in response.json()["error"]
