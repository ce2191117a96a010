"""``assay-cli topics`` and ``assay-cli topic``: the project's topics (document labels) and
an article's, through the edits the window makes (``core.review.topic_edits`` on a
``History``), so the store's rules and the audit log are the same whichever way a
reviewer works.

    assay-cli topics PROJECT [list] [--json]
    assay-cli topics PROJECT add NAME [--key DIGIT] [--color #RRGGBB] [--description TEXT]
    assay-cli topics PROJECT rename OLD NEW
    assay-cli topics PROJECT delete NAME
    assay-cli topic PROJECT ARTICLE [TOPIC [--off]] [--json]

Topic names come from the scheme (editable by anyone): each is printed on one clean line.
"""

from __future__ import annotations

import argparse
import json

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json, add_project, add_reviewer, record_id
from core.errors import AssayError
from core.models import Topic
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.topics import DEFAULT_TOPIC_COLOR
from core.text.normalise import one_line

COMMANDS = Commands()
TAKES = {"list": 0, "add": 1, "rename": 2, "delete": 1}


def topics_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", nargs="?", default="list", choices=tuple(TAKES))
    p.add_argument("values", nargs="*")
    p.add_argument("--key", default="", help="add: the topic's digit (T, then it, in the window)")
    p.add_argument("--color", default=DEFAULT_TOPIC_COLOR, help="add: its colour, #rrggbb")
    p.add_argument("--description", default="", help="add: what an article with it is about")
    add_reviewer(p, "who changes the scheme")
    add_json(p, "list: print JSON")


@COMMANDS.command(
    "topics", topics_options,
    help="the project's topics (document labels): list, add, rename, delete",
    description="list | add NAME [--key DIGIT] [--color #RRGGBB] [--description TEXT] | "
                "rename OLD NEW | delete NAME. The same rules as Review → Labels… → Topics: "
                "a unique name, a digit used by one topic, a topic deleted only when no "
                "article has it.")
def cmd_topics(args: argparse.Namespace) -> int:
    """One topic-scheme command over the store's rules and the window's edits."""
    from core.review.history import History
    from core.review.topic_edits import AddTopic, DeleteTopic, RenameTopic

    want = TAKES[args.action]
    if len(args.values) != want:
        raise AssayError(f"topics {args.action} takes {want} value(s), got "
                         f"{len(args.values)}: see assay-cli topics --help.")
    if args.action == "list":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            topics, counts = project.topics(), project.counts_by_topic()
        if args.json:
            print(json.dumps([{"name": t.name, "key": t.hotkey, "color": t.color,
                               "description": t.description, "articles": counts[t.name]}
                              for t in topics], ensure_ascii=False, indent=2))
        else:
            for t in topics:
                print(f"{t.hotkey or '-':>2}  {one_line(t.name, 40):<40} "
                      f"{counts[t.name]:>9,}  {one_line(t.description, 60)}")
            print(f"{len(topics)} topic(s); the numbers are articles with the topic.")
        return EXIT_OK
    with Project.open(args.project, rules=store_rules()) as project:
        history = History(project, args.reviewer)
        if args.action == "add":
            edit = AddTopic(Topic(args.values[0], args.color, args.key, args.description))
            history.do(edit)
            print(f"Added topic {one_line(edit.topic.name, 40)}"
                  + (f" (key {edit.topic.hotkey})." if edit.topic.hotkey else "."))
        elif args.action == "rename":
            old, new = args.values
            history.do(RenameTopic(old, new))
            print(f"Renamed topic {one_line(old, 40)} to {one_line(new.strip(), 40)}.")
        else:
            history.do(DeleteTopic(args.values[0]))
            print(f"Deleted topic {one_line(args.values[0], 40)}.")
    return EXIT_OK


def topic_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("article", type=record_id, help="the article's id")
    p.add_argument("topic", nargs="?", help="the topic to set (none: list the article's)")
    p.add_argument("--off", action="store_true", help="remove the topic (the reviewer says "
                                                      "the article is not about it)")
    add_reviewer(p, "who decides")
    add_json(p, "list: print JSON")


@COMMANDS.command(
    "topic", topic_options,
    help="set or remove one topic of an article, or list its topics",
    description="ARTICLE TOPIC sets the topic (--off removes it); ARTICLE alone lists the "
                "article's topics with their state and who decided them.")
def cmd_topic(args: argparse.Namespace) -> int:
    """An article's topic, set as the window's T and digit sets it."""
    from core.review.history import History
    from core.review.topic_edits import SetTopic

    if args.topic is None:
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            project.article(args.article)
            rows = project.article_topics(args.article)
        if args.json:
            print(json.dumps([r._asdict() for r in rows], ensure_ascii=False, indent=2))
        else:
            for r in rows:
                how = f"{r.origin}, {r.model}, {r.score:.2f}" if r.score is not None else r.origin
                print(f"{r.state:<9} {one_line(r.topic, 40):<40} {one_line(r.updated_by or '', 30)}"
                      f"  ({one_line(how, 60)})")
            print(f"{len(rows)} topic(s) of article {args.article}.")
        return EXIT_OK
    with Project.open(args.project, rules=store_rules()) as project:
        History(project, args.reviewer).do(SetTopic(args.article, args.topic, not args.off))
    print(f"Article {args.article}: {one_line(args.topic, 40)} "
          f"{'removed' if args.off else 'set'}.")
    return EXIT_OK
