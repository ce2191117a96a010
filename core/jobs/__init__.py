"""Long work shared by the CLI and the window: pre-annotating a project (more to come:
the typed progress protocol). May use every other part of core."""
