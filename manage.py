#!/usr/bin/env python
import sys

from wenming.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
