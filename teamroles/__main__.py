"""`python -m teamroles`: the command line (teamroles/cli.py)."""

from teamroles.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
