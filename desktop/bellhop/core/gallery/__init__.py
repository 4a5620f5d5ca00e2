"""The "New rule" gallery: ready-made rules, for the window and the command line alike."""
