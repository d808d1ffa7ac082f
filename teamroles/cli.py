"""Command line: `python -m teamroles check [--content DIR]`, `... room ...` and `... deck ...`.

`room` runs workshop rooms without the app: create one (and print its links),
draw its join QR code, export its answers, delete it, or purge old rooms.
`deck` lists the presentation decks and exports one as a standalone HTML file.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from teamroles.content.site import load_site


def check(content_dir: Path | None) -> int:
    """Print every content problem as `path: field: message`; 1 if there are any."""
    site = load_site(content_dir)
    for problem in site.problems:
        print(problem)
    if site.problems:
        print(f"{len(site.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"Content OK: {summary(site)}.")
    return 0


def summary(site) -> str:
    parts = [f"{len(site.roles)} roles"]
    if site.glossary:
        parts.append(f"{len(site.glossary.terms)} glossary terms")
    if site.workflow:
        parts.append(f"{len(site.workflow.stages)} workflow stages")
    if site.debt_figure:
        parts.append(f"{len(site.debt_figure.boxes)} hidden-debt boxes")
    if site.responsibilities:
        parts.append(f"{len(site.responsibilities.activities)} activities in the matrix")
    if site.example:
        example = site.example
        parts.append(
            f"worked example: {len(example.stages)} stages, {len(example.documents)} documents"
        )
    for quiz in site.quizzes:
        parts.append(f"quiz {quiz.id!r}: {len(quiz.questions)} questions")
    for deck in site.decks:
        parts.append(f"deck {deck.id!r}: {len(deck.slides)} slides")
    return ", ".join(parts)


def deck(args: argparse.Namespace) -> int:
    """`deck list` or `deck export`; an unknown deck id is one line naming the ids, exit 2."""
    site = load_site(args.content)
    if args.deck_command == "list":
        return deck_list(site)
    try:
        chosen = site.deck(args.deck_id)
    except KeyError:
        known = ", ".join(d.id for d in site.decks) or "none"
        print(f"Error: no deck has the id '{args.deck_id}' (decks: {known})", file=sys.stderr)
        return 2
    return deck_export(site, chosen, args.out, args.notes)


def deck_list(site) -> int:
    if not site.decks:
        print(f"No decks in {site.path_of('decks')}.")
    width = max((len(d.id) for d in site.decks), default=0)
    for d in site.decks:
        print(f"{d.id:<{width}}  {len(d.slides):>3} slides  {d.title}")
    deck_problems = [p for p in site.problems if p.path.startswith(site.path_of("decks"))]
    if deck_problems:
        print(
            f"{len(deck_problems)} problem(s) in the deck files: run "
            "`python -m teamroles check` to see them.",
            file=sys.stderr,
        )
    return 0


def deck_export(site, chosen, out: Path, notes: bool) -> int:
    from teamroles.deck_export import export_html

    try:
        out.write_text(export_html(chosen, site, notes=notes), encoding="utf-8")
    except OSError as exc:
        print(f"Error: cannot write {exc.filename or out}: {exc.strerror}", file=sys.stderr)
        return 1
    with_notes = "with" if notes else "without"
    print(
        f"Wrote deck '{chosen.id}' ({len(chosen.slides)} slides, {with_notes} speaker notes) "
        f"to {out}."
    )
    return 0


def room(args: argparse.Namespace) -> int:
    """One `room` command; a RoomError or a file that cannot be written is one line, exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from teamroles.room import RoomError, open_service
    from teamroles.room.engines import close_services

    try:
        service = open_service(args.database)
        return ROOM_COMMANDS[args.room_command](service, args)
    except RoomError as exc:
        print(f"Error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"Error: cannot write {exc.filename or 'the file'}: {exc.strerror}", file=sys.stderr)
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["?"])[0]
        print(f"Error: the room database cannot be used: {reason}", file=sys.stderr)
    finally:
        close_services()
    return 1


def room_create(service, args) -> int:
    from teamroles.room import host_url, join_url

    created = service.create_room(
        args.quiz,
        questions=args.questions,
        shuffle=args.shuffle,
        max_participants=args.max_participants,
        countdown_seconds=args.countdown,
        leaderboard=args.leaderboard,
        speed_bonus=args.speed_bonus,
    )
    state = service.state(created.code)
    print(f"Room {created.code}: {state.quiz_title}, {state.total} question(s).")
    print(f"Join: {join_url(args.base_url, created.code)}")
    print(f"Host: {host_url(args.base_url, created.code, created.host_token)}")
    print("Keep the host link to yourself: whoever has it controls the room.")
    return 0


def room_qr(service, args) -> int:
    from teamroles.room import join_url, qr_png

    code = service.state(args.code).code
    args.out.write_bytes(qr_png(join_url(args.base_url, code)))
    print(f"Wrote the join QR code for room {code} to {args.out}.")
    return 0


def room_export(service, args) -> int:
    code = service.state(args.code).code
    text = service.export_csv(code)
    args.out.write_text(text, encoding="utf-8", newline="")
    rows = len(list(csv.reader(io.StringIO(text)))) - 1
    print(f"Wrote {rows} answer(s) of room {code} to {args.out}.")
    return 0


def room_delete(service, args) -> int:
    from teamroles.room import RoomNotFound
    from teamroles.room.codes import normalize_code

    if not service.delete_room(args.code):
        raise RoomNotFound(normalize_code(args.code))
    print(f"Deleted room {normalize_code(args.code)} with its players and answers.")
    return 0


def room_purge(service, args) -> int:
    from teamroles.room.values import retention_days

    days = retention_days() if args.days is None else args.days
    count = service.purge(days)
    print(f"Deleted {count} room(s) created more than {days} day(s) ago.")
    return 0


ROOM_COMMANDS = {
    "create": room_create,
    "qr": room_qr,
    "export": room_export,
    "delete": room_delete,
    "purge": room_purge,
}


def _room_parsers(commands) -> None:
    room_parser = commands.add_parser("room", help="run workshop rooms from the command line")
    actions = room_parser.add_subparsers(dest="room_command", required=True)
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database",
        metavar="URL",
        help="room database (default: $TEAMROLES_DATABASE_URL, else data/rooms.sqlite3)",
    )
    base = argparse.ArgumentParser(add_help=False)
    base.add_argument(
        "--base-url",
        metavar="URL",
        help="the app's address for the links (default: the app as `streamlit run app.py` "
        "serves it on this computer)",
    )

    create = actions.add_parser("create", parents=[database, base], help="create a room")
    create.add_argument("--quiz", required=True, metavar="ID", help="the quiz's id")
    create.add_argument("--questions", type=int, metavar="N", help="ask N questions (default: all)")
    create.add_argument(
        "--no-shuffle", dest="shuffle", action="store_false", help="keep the quiz's order"
    )
    create.add_argument("--max-participants", type=int, default=500, metavar="N")
    create.add_argument("--countdown", type=int, metavar="S", help="seconds to answer each")
    create.add_argument("--leaderboard", action="store_true", help="show a leaderboard")
    create.add_argument("--speed-bonus", action="store_true", help="reward fast right answers")

    qr = actions.add_parser("qr", parents=[database, base], help="write the join QR code (PNG)")
    qr.add_argument("code")
    qr.add_argument("--out", type=Path, required=True, metavar="FILE")

    export = actions.add_parser("export", parents=[database], help="write the answers as CSV")
    export.add_argument("code")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")

    delete = actions.add_parser("delete", parents=[database], help="delete a room now")
    delete.add_argument("code")

    purge = actions.add_parser("purge", parents=[database], help="delete old rooms")
    purge.add_argument(
        "--days",
        type=int,
        metavar="N",
        help="older than N days (default: $TEAMROLES_ROOM_RETENTION_DAYS, else 30)",
    )


def _deck_parsers(commands, content: argparse.ArgumentParser) -> None:
    deck_parser = commands.add_parser("deck", help="list the decks, export one as HTML")
    actions = deck_parser.add_subparsers(dest="deck_command", required=True)
    actions.add_parser("list", parents=[content], help="the decks: ids, slides, titles")
    export = actions.add_parser(
        "export", parents=[content], help="write one deck as a standalone HTML file"
    )
    export.add_argument("deck_id", metavar="ID", help="the deck's id (its file name)")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--notes", action="store_true", help="include the speaker notes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m teamroles")
    commands = parser.add_subparsers(dest="command", required=True)
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content",
        type=Path,
        help="content folder (default: $TEAMROLES_CONTENT, else the shipped content/ folder)",
    )
    commands.add_parser("check", parents=[content], help="validate all content files")
    _room_parsers(commands)
    _deck_parsers(commands, content)
    args = parser.parse_args(argv)
    if args.command == "room":
        return room(args)
    if args.command == "deck":
        return deck(args)
    return check(args.content)


if __name__ == "__main__":
    sys.exit(main())
