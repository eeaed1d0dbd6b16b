"""The field dictionary of every open dataset: name, type, meaning and the
allowed values (a test fails when a column has no entry here), and the
DCAT-AP-NL style catalog that describes the files."""

from __future__ import annotations

from typing import Any

from tafel.actions.models import STATUSES as ACTION_STATUSES
from tafel.api import opendata
from tafel.api.opendata import Dataset
from tafel.api.opendata import Field as F
from tafel.decisions.models import IMPLEMENTATION, OUTCOMES
from tafel.submissions.models import KINDS

TIME = "datetime (ISO 8601, UTC)"
DAY = "date (ISO 8601)"
SLUG = "string (slug, see /api/v1/reference)"

DATASETS = (
    Dataset("meldingen", "Meldingen (signalen en knelpunten)",
            "Every public report in the register, with its place in the taxonomy.", (
        F("id", "integer", "Number of the report; /submissions/<id>"),
        F("kind", "string", "Signal or bottleneck", KINDS),
        F("status", "string", "Where the report stands", opendata.REPORT_STATUSES),
        F("title", "string", "Title"),
        F("summary", "string", "Summary"),
        F("market", SLUG, "Priority market"),
        F("action_lines", SLUG + ", separated by |", "Action lines"),
        F("technologies", SLUG + ", separated by |", "Key technologies"),
        F("province", SLUG, "Province"),
        F("ministry", SLUG, "Responsible ministry"),
        F("organisation", "string", "Submitting organisation; empty when it stays anonymous"),
        F("cosign_count", "integer", "Number of supporting organisations"),
        F("created_at", TIME, "Created"),
        F("submitted_at", TIME, "Submitted"),
        F("response_deadline", DAY, "Day by which the ministry's response is due"),
    ), opendata.report_rows),
    Dataset("besluiten", "Besluiten", "The decision register, as far as it is public.", (
        F("id", "integer", "Number of the decision; /decisions/<id>"),
        F("number", "string", "Decision number, B-<year>-<nnn>"),
        F("year", "integer", "Year of the number"),
        F("meeting_id", "integer", "Meeting; /meetings/<id>"),
        F("outcome", "string", "Outcome", OUTCOMES),
        F("text", "string", "Text of the decision"),
        F("explanation", "string", "Explanation (required for deels and niet)"),
        F("ministry", SLUG, "Responsible ministry"),
        F("implementation", "string", "How far its action items are", IMPLEMENTATION),
        F("submission_ids", "integers separated by |", "Reports the decision concerns"),
        F("created_at", TIME, "Recorded"),
    ), opendata.decision_rows),
    Dataset("reacties", "Reacties van ministeries",
            "Published responses ('comply or explain') to public reports.", (
        F("id", "integer", "Number of the response"),
        F("submission_id", "integer", "The report answered"),
        F("ministry", SLUG, "Answering ministry"),
        F("outcome", "string", "Outcome", OUTCOMES),
        F("explanation", "string", "Explanation"),
        F("measures", "string", "Planned measures"),
        F("due_date", DAY, "Deadline"),
        F("published_at", TIME, "Published"),
    ), opendata.response_rows),
    Dataset("actiepunten", "Actiepunten", "Action items of public decisions and responses.", (
        F("id", "integer", "Number of the action item; /actions/<id>"),
        F("description", "string", "What is to be done"),
        F("status", "string", "Status", ACTION_STATUSES),
        F("due_date", DAY, "Agreed date"),
        F("completed_at", TIME, "Finished (gerealiseerd or vervallen)"),
        F("owner", "string", "Who carries it out"),
        F("decision_id", "integer", "Decision it comes from"),
        F("response_id", "integer", "Response it comes from"),
    ), opendata.action_rows),
    Dataset("scorebord", "Scorebord per ministerie",
            "Per ministry: responses on time, outcomes, action items done on time.", (
        F("ministry", SLUG, "Ministry"),
        F("decisions", "integer", "Decisions with this ministry responsible"),
        F("responses_due", "integer", "Responses whose deadline has passed"),
        F("responses_on_time", "integer", "Of those, published by the deadline"),
        F("responses_published", "integer", "Responses published"),
        *(F(f"outcome_{o}", "integer", f"Published responses with outcome {o}") for o in OUTCOMES),
        F("actions_due", "integer", "Action items whose date has passed"),
        F("actions_on_time", "integer", "Of those, realised by the date"),
        F("median_days_to_response", "number", "Median days from report to published response"),
    ), opendata.scoreboard_rows),
)  # fmt: skip


def catalog(base: str, meta: dict[str, Any]) -> dict[str, Any]:
    """A DCAT-AP-NL style catalog (JSON-LD) of the datasets and their files."""
    licence = opendata.LICENCE["url"]
    datasets = []
    for dataset in DATASETS:
        files = meta["files"].get(dataset.name, {})
        datasets.append({
            "@type": "dcat:Dataset",
            "dct:identifier": f"{base}/open-data#{dataset.name}",
            "dct:title": dataset.title,
            "dct:description": dataset.description,
            "dct:license": licence,
            "dct:modified": meta["generated_at"],
            "dct:language": "http://publications.europa.eu/resource/authority/language/NLD",
            "dcat:accrualPeriodicity": "http://publications.europa.eu/resource/authority/frequency/DAILY",
            "dcat:distribution": [
                {"@type": "dcat:Distribution", "dcat:downloadURL":
                 f"{base}/open-data/{files[fmt]['name']}", "dcat:mediaType": media,
                 "dct:license": licence,
                 "spdx:checksum": {"spdx:algorithm": "spdx:checksumAlgorithm_sha256",
                                   "spdx:checksumValue": files[fmt]["sha256"]}}
                for fmt, media in (("csv", "text/csv"), ("json", "application/json"))
                if fmt in files
            ],
        })  # fmt: skip
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "spdx": "http://spdx.org/rdf/terms#"},
        "@type": "dcat:Catalog",
        "dct:title": "Open data van de industrie- en technologietafel",
        "dct:license": licence,
        "dct:modified": meta["generated_at"],
        "dcat:dataset": datasets,
    }  # fmt: skip
