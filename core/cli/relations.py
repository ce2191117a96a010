"""``assay-cli relations``: list, draw, accept, reject and delete relations, through the
edits the window makes (``core.review.relation_edits`` on a ``History``), so the store's
rules and the audit log are the same whichever way a reviewer works.

    assay-cli relations PROJECT list [--article ID] [--type T] [--state S] [--json]
    assay-cli relations PROJECT add ARTICLE HEAD_SPAN TAIL_SPAN TYPE
    assay-cli relations PROJECT accept|reject|delete RELATION_ID

Entity texts come from articles (untrusted): each is printed on one clean line.
"""

from __future__ import annotations

import argparse
import json

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json, add_project, add_reviewer, record_id
from core.errors import AssayError
from core.models import RELATION_STATES
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.normalise import one_line

COMMANDS = Commands()
TAKES = {"list": 0, "add": 4, "accept": 1, "reject": 1, "delete": 1}


def relations_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", choices=tuple(TAKES))
    p.add_argument("values", nargs="*")
    p.add_argument("--article", type=record_id, help="list: only this article's")
    p.add_argument("--type", dest="kind", help="list: only relations of this type")
    p.add_argument("--state", choices=RELATION_STATES, help="list: only in this state")
    add_reviewer(p, "who decides")
    add_json(p, "list: print JSON")


def _ids(action: str, values: list[str]) -> list[int]:
    try:
        return [record_id(v) for v in values]
    except argparse.ArgumentTypeError as exc:
        raise AssayError(f"relations {action}: {exc}") from exc


@COMMANDS.command(
    "relations", relations_options,
    help="relations between entities: list, add, accept, reject, delete",
    description="list [--article ID] [--type T] [--state S] | add ARTICLE HEAD_SPAN "
                "TAIL_SPAN TYPE | accept RELATION_ID | reject RELATION_ID | delete "
                "RELATION_ID. The same rules as the window: both ends entities of the "
                "article whose labels the type allows, no duplicate.")
def cmd_relations(args: argparse.Namespace) -> int:
    """One relation command over the store's rules and the window's edits."""
    from core.review.history import History
    from core.review.relation_edits import AddRelation, DeleteRelation, UpdateRelation

    want = TAKES[args.action]
    if len(args.values) != want:
        raise AssayError(f"relations {args.action} takes {want} value(s), got "
                         f"{len(args.values)}: see assay-cli relations --help.")
    if args.action == "list":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            rows = project.listed_relations(args.article, args.kind, args.state)
        if args.json:
            print(json.dumps([{
                "id": r.id, "article_id": r.article_id, "head_id": r.head_id,
                "head": head, "type": r.type, "tail_id": r.tail_id, "tail": tail,
                "state": r.state, "origin": r.origin, "updated_by": r.updated_by,
                "updated_at": r.updated_at} for r, head, tail in rows],
                ensure_ascii=False, indent=2))
        else:
            for r, head, tail in rows:
                print(f"{r.id:>6}  #{r.article_id:<5} {r.state:<9} {one_line(head, 40)} "
                      f"{one_line(r.type, 40)} {one_line(tail, 40)}  ({r.origin})")
            print(f"{len(rows)} relation(s).")
        return EXIT_OK
    with Project.open(args.project, rules=store_rules()) as project:
        history = History(project, args.reviewer)
        if args.action == "add":
            article_id, head_id, tail_id = _ids("add", args.values[:3])
            edit = AddRelation(article_id, head_id, tail_id, args.values[3])
            history.do(edit)
            assert edit.relation_id is not None
            relation = project.relation(edit.relation_id)
            print(f"Added relation {relation.id}: {project.relation_text(relation)}.")
            return EXIT_OK
        (relation_id,) = _ids(args.action, args.values)
        relation = project.relation(relation_id)
        text = project.relation_text(relation)
        if args.action == "delete":
            history.do(DeleteRelation(relation))
            print(f"Deleted relation {relation_id}: {text}.")
        else:
            state = "accepted" if args.action == "accept" else "rejected"
            history.do(UpdateRelation(relation_id, f"{args.action} relation", state=state))
            print(f"Relation {relation_id} ({text}) is {state}.")
    return EXIT_OK
