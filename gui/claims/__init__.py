"""Fact-checking: claims in the text, their panel and keys, across the corpus."""
