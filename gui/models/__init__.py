"""Training and choosing the project's models."""
