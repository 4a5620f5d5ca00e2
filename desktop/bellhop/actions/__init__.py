"""Card types, one module each, and the registry the engine knows them through."""

from __future__ import annotations

from bellhop.actions.registry import default_registry
from bellhop.core.cards import ActionType, Registry

__all__ = ["ActionType", "Registry", "default_registry"]
