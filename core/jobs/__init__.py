"""Long work shared by the CLI and the window: pre-annotating a project (``annotate``) or
JSONL records without one (``records``, ``records_jsonl``, the optional ``dask_recipe``),
and the typed progress protocol. May use every other part of core."""
