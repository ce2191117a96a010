"""Reviewing one article: the text view, entities, label keys, jumps and find."""
