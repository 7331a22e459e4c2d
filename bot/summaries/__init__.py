"""Summaries: Sumy's algorithms by name, and the fast (vectorised) engine."""
