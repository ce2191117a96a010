"""Import and export formats: readers, writers, encodings and HTML extraction."""
