"""Run the dlguide command line interface with `python -m dlguide`."""

from dlguide._cli import main

raise SystemExit(main())
