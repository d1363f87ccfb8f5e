"""``python -m service [--host H] [--port P] [--data-dir DIR] [--store URL]``: the API, no CLI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.app import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    parser.add_argument("--host", default=None, help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000)")
    parser.add_argument("--data-dir", type=Path, default=None, help="store + index directory")
    parser.add_argument("--store", default=None, help="store URL (sqlite:///dir, postgresql://)")
    args = parser.parse_args()
    from factcheck import doctor

    problems = doctor.problems()  # the checks of `factcheck doctor`, before anything loads
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        sys.exit(f"the service cannot start: {len(problems)} problem(s) above; fix them first")
    serve(host=args.host, port=args.port, data_dir=args.data_dir, store_url=args.store)


if __name__ == "__main__":
    main()
