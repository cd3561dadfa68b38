"""Allow `python -m ehcp_cli`."""

import sys

from ehcp_cli.cli.app import main

sys.exit(main())
