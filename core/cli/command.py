"""The one way a command joins ``assay-cli``: a handler decorated with its name and options.

As in sqlite-utils, where each command's options sit on top of its function, a command
here is its options function beside its handler::

    def new_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("project", help="path of the new .assay file")

    @COMMANDS.command("new", new_options, help="create a new project file")
    def cmd_new(args: argparse.Namespace) -> int: ...

Each command module holds one ``COMMANDS``; ``core.cli`` adds the modules' commands to
the parser in the order of its table, which is the order ``assay-cli --help`` lists them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130

Handler = Callable[[argparse.Namespace], int]
Options = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, what ``add_parser`` is given, its options and handler."""

    name: str
    options: Options
    run: Handler
    parser_args: dict[str, Any] = field(default_factory=dict)

    def add_to(self, sub: argparse._SubParsersAction) -> None:
        parser = sub.add_parser(self.name, **self.parser_args)
        self.options(parser)
        parser.set_defaults(func=self.run)


class Commands:
    """A module's commands, in the order they were defined."""

    def __init__(self) -> None:
        self.commands: list[Command] = []

    def command(self, name: str, options: Options, **parser_args: Any
                ) -> Callable[[Handler], Handler]:
        """Register the decorated handler as ``name``; ``parser_args`` (help, description)
        go to ``add_parser``, ``options`` adds the command's arguments."""

        def register(run: Handler) -> Handler:
            self.commands.append(Command(name, options, run, dict(parser_args)))
            return run

        return register

    def register(self, sub: argparse._SubParsersAction) -> None:
        """Add every command of the module to the CLI's subcommands."""
        for command in self.commands:
            command.add_to(sub)
