"""documents area."""

import logging

logger = logging.getLogger(__name__)
