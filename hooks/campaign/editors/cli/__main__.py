"""`python3 -m campaign.cli` (with hooks/ on the path) is the same as ./column."""
import sys

from campaign.cli import main

sys.exit(main())
