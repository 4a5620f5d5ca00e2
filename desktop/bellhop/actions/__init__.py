"""Card types, one module each, and the registry the engine knows them through."""

from __future__ import annotations

from bellhop.actions.base import ActionType
from bellhop.actions.registry import Registry, default_registry

__all__ = ["ActionType", "Registry", "default_registry"]
