"""tasks area: follow-up tasks from a meeting's conclusions (xử lý công việc)."""

import logging

logger = logging.getLogger(__name__)
