"""Test support shared by the tests and the benchmarks (not installed): the fake Telegram Bot API server."""
