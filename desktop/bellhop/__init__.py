"""Bellhop answers webhooks and runs errands for the user."""

__version__ = "0.1.0"
