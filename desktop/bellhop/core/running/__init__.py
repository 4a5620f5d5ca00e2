"""From a stored event to a finished run: rules, the engine, steps, the backlog."""
