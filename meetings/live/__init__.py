"""live area: the websocket hub and its broadcast backends."""

import logging

logger = logging.getLogger(__name__)
