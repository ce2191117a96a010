"""The article list: its model, columns and search."""
