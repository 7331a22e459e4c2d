"""Text: language profiles, the offline tokenizer, and parsing text into articles."""
