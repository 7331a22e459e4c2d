"""Answers: keywords of a question, the index terms of sentences, and ranking."""
