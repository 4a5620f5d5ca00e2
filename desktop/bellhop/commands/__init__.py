"""The `bellhop` commands that look at events and redo them, and check the rules: the
Activity page's view and buttons for a terminal or a server.

  events [--rule R] [--status S] [--since T] [--limit N] [--json] [--refused]
  show EVENT [--json]
  retry RUN… | retry --failed [--rule R]   [--json]
  replay EVENT…                            [--json]
  rules check

bellhop/cli.py adds these with `add_parsers` and hands them to `run`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bellhop.core.i18n import _


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", dest="as_json",
                        help=_("print one JSON document instead of lines"))


def add_parsers(sub: Any) -> None:
    """Add events, show, retry, replay and rules to the `bellhop` grammar."""
    events = sub.add_parser("events", help=_("list recent events and their runs"))
    events.add_argument("--limit", type=int, default=20,
                        help=_("how many events at most (20)"))
    events.add_argument("--rule", metavar="RULE", help=_("only this rule's (its name or id)"))
    events.add_argument("--status", choices=["failed", "done", "skipped", "waiting",
                                             "running", "new", "refused"],
                        help=_("only events whose latest run ended so; refused: deliveries "
                               "turned away"))
    events.add_argument("--since", metavar="WHEN",
                        help=_("only events received since then: 30m, 2h, 3d or a date "
                               "such as 2026-12-01"))
    events.add_argument("--refused", action="store_true",
                        help=_("list deliveries that were turned away, and why"))
    _add_json(events)

    show = sub.add_parser("show", help=_("what one event brought and what each step did"))
    show.add_argument("event", metavar="EVENT", help=_("the event's id (bellhop events lists "
                                                         "them)"))
    _add_json(show)

    retry = sub.add_parser("retry", help=_("try failed runs again from their failed step"))
    retry.add_argument("runs", nargs="*", metavar="RUN",
                       help=_("the run's id (or its event's id)"))
    retry.add_argument("--failed", action="store_true",
                       help=_("every run whose event failed last"))
    retry.add_argument("--rule", metavar="RULE", help=_("with --failed: only this rule's"))
    _add_json(retry)

    replay = sub.add_parser("replay", help=_("run events again with the rule as it is now"))
    replay.add_argument("events", nargs="+", metavar="EVENT", help=_("the event's id"))
    _add_json(replay)

    rules = sub.add_parser("rules", help=_("check rules.json and accounts.json"))
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    rules_sub.add_parser("check", help=_("print every problem of the rules and accounts; "
                                         "exit 1 when there is one"))


def run(args: argparse.Namespace) -> int | None:
    """Run one of these commands; None when the command is not one of them."""
    from bellhop.commands.words import use_settings_language

    if args.command not in ("events", "show", "retry", "replay", "rules"):
        return None
    use_settings_language()
    if args.command == "events":
        from bellhop.commands.events import Narrowed, list_events
        from bellhop.commands.words import since_time

        try:  # read here, once the data home's language is known: the error is in it
            since = since_time(args.since) if args.since is not None else None
        except argparse.ArgumentTypeError as exc:
            print(f"bellhop events: {exc}", file=sys.stderr)
            return 2
        return list_events(asked=Narrowed(
            limit=args.limit, rule=args.rule,
            status="refused" if args.refused else args.status,
            since=since, as_json=args.as_json))
    if args.command == "show":
        from bellhop.commands.show import show_event

        return show_event(args.event, args.as_json)
    if args.command == "retry":
        from bellhop.commands.redo import retry

        return retry(args.runs, args.failed, args.rule, args.as_json)
    if args.command == "replay":
        from bellhop.commands.redo import replay

        return replay(args.events, args.as_json)
    from bellhop.commands.rulecheck import check_files

    return check_files()
