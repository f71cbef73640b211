"""What each kind of result is called on the page (msgids, translated where shown)."""

from __future__ import annotations

from meetings.i18n import N_
from meetings.search.models import Kind

KINDS = {
    Kind.meeting: N_("Meeting"),
    Kind.document: N_("Document"),
    Kind.minutes: N_("Minutes"),
    Kind.conclusion: N_("Conclusion"),
    Kind.ballot: N_("Vote"),
    Kind.task: N_("Task"),
}
SORTS = {"relevance": N_("Best match first"), "date": N_("Newest first")}
CLASSIFICATIONS = {
    "public": N_("Public"),
    "internal": N_("Internal"),
    "confidential": N_("Confidential"),
}
