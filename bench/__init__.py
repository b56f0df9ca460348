"""Benchmark scripts (run as `python -m bench.<name>`); see each module's docstring."""

import argparse


def synthetic_parser(doc: str, *, repeat_help: str) -> argparse.ArgumentParser:
    """The options of a benchmark over synthetic developers: -n/--candidates, --seed, --repeat."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "-n", "--candidates", type=int, default=1000, help="synthetic developers (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help=f"{repeat_help} (default 5)")
    return parser
