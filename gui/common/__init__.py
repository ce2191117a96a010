"""Parts every room uses: plain text, forms, workers, file dialogs, theme."""
