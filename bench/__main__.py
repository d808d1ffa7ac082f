"""`python -m bench`: the performance benchmark (see bench/run.py)."""

from bench.run import main

raise SystemExit(main())
