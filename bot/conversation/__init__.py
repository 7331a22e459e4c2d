"""The conversation: what a message, a command or a button means, answered as Replies."""
