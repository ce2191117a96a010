"""Text layer: normalisation, the one tokenizer, sentences. Imports nothing else of Assay."""
