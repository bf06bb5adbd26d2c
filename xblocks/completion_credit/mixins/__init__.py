"""Small mixins the completion-credit block is composed of (one concern each)."""
