"""The corpus in pictures: the figures of Review → Statistics and ``assay-cli report``."""
