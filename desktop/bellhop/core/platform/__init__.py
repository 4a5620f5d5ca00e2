"""The computer Bellhop runs on: paths, settings, secrets, files, login items."""
