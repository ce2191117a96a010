"""The main window: its actions and menus, the project it has open, long jobs."""
