"""storage area: the content-addressed blob store."""

import logging

logger = logging.getLogger(__name__)
