"""``assay-cli labels``: the label scheme and its relation types, by the same rules as
Review → Labels… (``core.store.labels``, ``core.store.relation_types``)."""

from __future__ import annotations

import argparse
import json

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json, add_project, add_reviewer
from core.errors import AssayError
from core.models import RelationType
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def labels_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", choices=("list", "add", "rename", "recolor", "key", "describe",
                                      "merge", "delete", "export", "import",
                                      *RELATION_ACTIONS))
    p.add_argument("values", nargs="*")
    p.add_argument("--color", help="add, relation-add/-edit: the colour (#rrggbb)")
    p.add_argument("--hotkey", help="add, relation-add/-edit: the key (one letter or digit)")
    p.add_argument("--description", help="add, relation-add/-edit: the guideline")
    p.add_argument("--head", help="relation-add/-edit: the head's labels, GPE,ORG")
    p.add_argument("--tail", help="relation-add/-edit: the tail's labels, MINERAL")
    p.add_argument("--symmetric", action=argparse.BooleanOptionalAction,
                   help="relation-add/-edit: one relation either way (PARTNERS_WITH)")
    p.add_argument("--name", help="relation-edit: a new name for the type")
    add_reviewer(p, "who")
    add_json(p, "list: print JSON")


@COMMANDS.command(
    "labels", labels_options,
    help="the label scheme: list, add, rename, recolor, merge, delete, …",
    description="list | add NAME | rename OLD NEW | recolor NAME #RRGGBB | key NAME K | "
                "describe NAME TEXT | merge FROM INTO | delete NAME | export FILE | "
                "import FILE | relation-types | relation-add NAME --head L,.. --tail L,.. "
                "| relation-edit NAME [--name --head --tail --symmetric ...] | "
                "relation-delete NAME. Renames and merges rewrite the spans; delete "
                "refuses a label that spans use, relation-delete a type relations use.")
def cmd_labels(args: argparse.Namespace) -> int:
    """The label scheme: list, add, rename, recolor, key, describe, merge, delete, export,
    import; the same rules as Review → Labels… (core.store.labels)."""
    who = args.reviewer
    if args.action in RELATION_ACTIONS:
        return relation_types(args)
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
            project.add_label(v[0], args.color or "#dddddd", args.hotkey or "",
                              args.description or "", reviewer=who)
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


RELATION_ACTIONS = ("relation-types", "relation-add", "relation-edit", "relation-delete")


def _labels(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(x.strip() for x in text.split(",") if x.strip())


def relation_types(args: argparse.Namespace) -> int:
    """The scheme's relation types: list, add, edit, delete (``core.store.relation_types``
    has the rules: names, labels of the scheme, keys, a type relations use stays)."""
    want = 0 if args.action == "relation-types" else 1
    if len(args.values) != want:
        raise AssayError(f"labels {args.action} takes {want} value(s), got "
                         f"{len(args.values)}: see assay-cli labels --help.")
    if args.action == "relation-types":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            kinds = project.relation_types()
            uses = {t.name: sum(n for (kind, _s), n in project.relation_counts().items()
                                if kind == t.name) for t in kinds}
        if args.json:
            print(json.dumps([{"name": t.name, "head": list(t.head_labels),
                               "tail": list(t.tail_labels), "symmetric": t.symmetric,
                               "color": t.color, "hotkey": t.hotkey,
                               "description": t.description, "relations": uses[t.name]}
                              for t in kinds], ensure_ascii=False, indent=2))
        else:
            for t in kinds:
                print(f"{t.hotkey.upper() or '-':<2} {t.name:<15} {t.shape():<32} {t.color} "
                      f"{uses[t.name]:>8} relation(s)  {t.description}")
        return EXIT_OK
    name, who = args.values[0], args.reviewer
    head, tail = _labels(args.head), _labels(args.tail)
    with Project.open(args.project, rules=store_rules()) as project:
        if args.action == "relation-add":
            if not head or not tail:
                raise AssayError("labels relation-add NAME needs --head and --tail labels "
                                 "(--head GPE,ORG --tail MINERAL).")
            kind = project.add_relation_type(RelationType(
                name, head, tail, bool(args.symmetric), args.color or "#5a6f8f",
                args.hotkey or "", args.description or ""), who)
            print(f"Added the relation type {kind.name}: {kind.shape()}.")
        elif args.action == "relation-edit":
            old = project.relation_type(name)
            new = RelationType(args.name or old.name, head or old.head_labels,
                               tail or old.tail_labels,
                               old.symmetric if args.symmetric is None else args.symmetric,
                               args.color or old.color,
                               old.hotkey if args.hotkey is None else args.hotkey,
                               old.description if args.description is None
                               else args.description)
            project.update_relation_type(name, new, who)
            print(f"{new.name}: {project.relation_type(new.name).shape()}.")
        else:
            project.delete_relation_type(name, who)
            print(f"Deleted the relation type {name}.")
    return EXIT_OK
