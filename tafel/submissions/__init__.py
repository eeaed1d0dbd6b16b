"""Reports: signalen and knelpunten, from intake to triage."""

from tafel.submissions import search  # noqa: F401 - connects the re-index receiver
