"""Entry point of `python -m kooperacja`."""

from kooperacja.cli import main

raise SystemExit(main())
