"""minutes area: the records of a meeting (minutes, the conclusion notice, addenda)."""

import logging

logger = logging.getLogger(__name__)
