"""`python -m rectify.notice FILE|- [--json]`, the same as `rectify parse`."""

import sys

from rectify.notice.command import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
