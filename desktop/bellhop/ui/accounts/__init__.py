"""Accounts page of the window."""
