"""e-Cabinet: paperless meetings and cabinet work processing."""

__version__ = "0.1.0"
