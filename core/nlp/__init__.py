"""Pre-annotation: the spaCy pipeline, gazetteers, claim suggestions and kb linking."""
