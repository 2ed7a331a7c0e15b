"""Typed models of the record format: the one source of truth for its shape."""

from yipin.content.models.base import FORMAT
from yipin.content.models.case import (
    KIND_LABELS,
    MAX_COUNT,
    SUMMARY_MAX,
    SUMMARY_MIN,
    Activity,
    Brand,
    Case,
    Community,
    CommunityKind,
    Contact,
    Image,
    Metric,
    Partner,
    Practice,
    Region,
    Replication,
    Source,
    Story,
)
from yipin.content.models.street import Street, StreetRegion
from yipin.content.models.taxonomy import Taxonomy, Term
from yipin.content.models.types import (
    FIRST_YEAR,
    ID_PATTERN,
    LAST_YEAR,
    CaseRef,
    ContentPath,
    DateOrDateTime,
    Duration,
    PartialDate,
    Slug,
    Summary,
    Text,
    WebUrl,
)

__all__ = [
    "FIRST_YEAR", "LAST_YEAR", "FORMAT", "KIND_LABELS", "MAX_COUNT", "SUMMARY_MAX", "SUMMARY_MIN", "Activity", "Brand", "Case", "Community",
    "CommunityKind", "Contact", "Image", "Metric", "Partner", "Practice", "Region",
    "Replication", "Source", "Story", "Street", "StreetRegion", "Taxonomy", "Term",
    "ID_PATTERN", "CaseRef", "ContentPath", "DateOrDateTime", "Duration", "PartialDate", "Slug", "Summary", "Text", "WebUrl",
]
