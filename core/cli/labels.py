"""``assay-cli labels``: the label scheme, by the same rules as Review → Labels…"""

from __future__ import annotations

import argparse
import json

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json, add_project, add_reviewer
from core.errors import AssayError
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def labels_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", choices=("list", "add", "rename", "recolor", "key", "describe",
                                      "merge", "delete", "export", "import"))
    p.add_argument("values", nargs="*")
    p.add_argument("--color", default="#dddddd", help="add: the colour (#rrggbb)")
    p.add_argument("--hotkey", help="add: the key (one letter or digit)")
    p.add_argument("--description", help="add: the guideline")
    add_reviewer(p, "who")
    add_json(p, "list: print JSON")


@COMMANDS.command(
    "labels", labels_options,
    help="the label scheme: list, add, rename, recolor, merge, delete, …",
    description="list | add NAME | rename OLD NEW | recolor NAME #RRGGBB | key NAME K | "
                "describe NAME TEXT | merge FROM INTO | delete NAME | export FILE | "
                "import FILE. Renames and merges rewrite the spans; delete refuses a "
                "label that spans use.")
def cmd_labels(args: argparse.Namespace) -> int:
    """The label scheme: list, add, rename, recolor, key, describe, merge, delete, export,
    import; the same rules as Review → Labels… (core.store.labels)."""
    who = args.reviewer
    if args.action == "list":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            rows = [(lb, project.label_uses(lb.name)) for lb in project.labels()]
        if args.json:
            print(json.dumps([{"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
                               "description": lb.description, "spans": n} for lb, n in rows],
                             ensure_ascii=False, indent=2))
        else:
            for lb, n in rows:
                print(f"{lb.hotkey.upper() or '-':<2} {lb.name:<12} {lb.color}  "
                      f"{n:>8} span(s)  {lb.description}")
        return EXIT_OK
    want = {"add": 1, "rename": 2, "recolor": 2, "key": 2, "describe": 2, "merge": 2,
            "delete": 1, "export": 1, "import": 1}[args.action]
    if len(args.values) != want:
        raise AssayError(f"labels {args.action} takes {want} value(s), got "
                         f"{len(args.values)}: see assay-cli labels --help.")
    v = args.values
    with Project.open(args.project, rules=store_rules()) as project:
        if args.action == "add":
            project.add_label(v[0], args.color, args.hotkey or "", args.description or "",
                              reviewer=who)
            print(f"Added {v[0].strip()}.")
        elif args.action == "rename":
            print(f"Renamed {v[0]} to {v[1]}: {project.rename_label(v[0], v[1], who):,} "
                  "span(s) rewritten.")
        elif args.action in ("recolor", "key", "describe"):
            field = {"recolor": "color", "key": "hotkey", "describe": "description"}[args.action]
            project.update_label(v[0], who, **{field: v[1]})
            print(f"{v[0]}: {field} is now {v[1]!r}.")
        elif args.action == "merge":
            _gone, moved, in_versions = project.merge_label(v[0], v[1], who)
            print(f"Merged {v[0]} into {v[1]}: {len(moved):,} span(s) relabelled"
                  + (f", and {len(in_versions):,} in reviewers' versions." if in_versions
                     else "."))
        elif args.action == "delete":
            project.delete_label(v[0], who)
            print(f"Deleted {v[0]}.")
        elif args.action == "export":
            print(f"Wrote {project.export_scheme(v[0])} label(s) to {v[0]}.")
        else:
            added, updated = project.import_scheme(v[0], who)
            print(f"Imported {v[0]}: {added} added, {updated} updated.")
    return EXIT_OK
