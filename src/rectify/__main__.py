import sys

from rectify.cli import main

sys.exit(main())
