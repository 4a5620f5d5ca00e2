"""Rules page of the window."""
