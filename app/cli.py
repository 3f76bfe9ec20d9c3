"""Staff accounts and API tokens from the command line.

    python -m app.cli create-user --role admin anna@bochum.de   # asks for the password
    ADMIN_PASSWORD=… python -m app.cli create-user --role admin anna@bochum.de
    python -m app.cli create-token --role editor "Import-Skript"  # token = last word
    python -m app.cli send-reminders   # verification rounds' reminders (daily, by cron)
    python -m app.cli record-planning --first-of-month   # "Stand festhalten" (daily cron)

The first admin comes from here (``make admin``); everything else can be done on the
pages. Exit codes: 0 done, 2 wrong input.
"""

import argparse
import getpass
import sys

from sqlmodel import Session

from app.catalogue import verification
from app.config import get_settings
from app.db.session import get_engine
from app.staff import accounts, tokens
from app.staff.roles import ROLES, USER_ROLES


def _password(email: str) -> str:
    secret = get_settings().admin_password
    if secret is not None:
        return secret.get_secret_value()
    if not sys.stdin.isatty():
        raise SystemExit("no terminal to ask for the password: set ADMIN_PASSWORD")
    first = getpass.getpass(f"Password for {email}: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise SystemExit("the two passwords differ; nothing was created")
    return first


def create_user(args: argparse.Namespace) -> int:
    email = args.email or input("E-mail address: ").strip()
    with Session(get_engine()) as session:
        if accounts.find_user(session, email) is not None:
            print(
                f"error: email: an account for {accounts.normalise_email(email)} exists already",
                file=sys.stderr,
            )
            return 2
        try:
            user = accounts.create_user(session, email, _password(email), args.role, name=args.name)
        except accounts.AccountError as exc:
            print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
            return 2
        session.commit()
        print(
            f"created {user.role} account {user.email} (id {user.id}); sign in at "
            "/verwaltung/anmelden"
        )
    return 0


def create_token(args: argparse.Namespace) -> int:
    with Session(get_engine()) as session:
        try:
            token, secret = tokens.create_token(session, args.name, args.role, "cli")
        except accounts.AccountError as exc:
            print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
            return 2
        session.commit()
        print(
            f"created API token {token.id} '{token.name}' with role {token.role}; it is "
            f"shown only now (send it as 'Authorization: Bearer <token>'): {secret}"
        )
    return 0


def send_reminders(args: argparse.Namespace) -> int:
    """Remind the contacts of providers that have not answered a verification round."""
    settings = get_settings()
    with Session(get_engine()) as session:
        sent = verification.send_reminders(session, settings)
    print(f"sent {sent} reminder e-mail(s)")
    return 0


def record_planning(args: argparse.Namespace) -> int:
    """Store today's planning computation as a dated snapshot (with --first-of-month:
    only on the 1st, so a daily cron job records one snapshot a month)."""
    from datetime import date

    from app.planning.history import record

    if args.first_of_month and date.today().day != 1:
        print("not the 1st of the month: nothing recorded")
        return 0
    with Session(get_engine()) as session:
        snap = record(session, "cli")
        session.commit()
        print(f"planning snapshot of {snap.taken_on.isoformat()} recorded")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.cli",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser("create-user", help="create a staff account")
    user.add_argument("--role", choices=USER_ROLES, required=True)
    user.add_argument("--name", default=None, help="the person's name (optional)")
    user.add_argument("email", nargs="?", help="e-mail address (asked for when left out)")
    user.set_defaults(run=create_user)
    token = commands.add_parser("create-token", help="create an API token (printed last)")
    token.add_argument("--role", choices=ROLES, required=True)
    token.add_argument("name", help="what the token is for, e.g. 'Import-Skript'")
    token.set_defaults(run=create_token)
    remind = commands.add_parser(
        "send-reminders", help="remind providers that have not answered a verification round"
    )
    remind.set_defaults(run=send_reminders)
    snapshot = commands.add_parser(
        "record-planning", help="store today's planning computation as a dated snapshot"
    )
    snapshot.add_argument("--first-of-month", action="store_true", help="only on the 1st")
    snapshot.set_defaults(run=record_planning)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
