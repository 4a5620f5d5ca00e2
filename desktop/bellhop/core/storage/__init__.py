"""SQLite: events, runs and step runs, and the Activity queries."""
