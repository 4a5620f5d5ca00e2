"""Activity page of the window."""
