"""Full-text search across meetings, documents, records, ballots and tasks (Vietnamese-aware)."""

import logging

logger = logging.getLogger(__name__)
