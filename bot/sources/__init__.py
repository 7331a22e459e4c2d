"""Sources: bytes, a path or a URL to an article: safe fetching, extraction, PDF and text decoding."""
