"""Parser throughput: MB/s of report text parsed, next to the cost of merely reading it.

Builds ≥ 10 MB of report text from the seed notices (../shared/corpus/seeds), then measures on one
core: (1) decode + split lines only, (2) parse() of every notice, (3) parse() of one very large
notice (the findings section repeated) to show that cost grows linearly with size, (4) the same
notices as PDF copies give them (hard line breaks, page numbers) and as reposts in traditional
characters, each beside the bare read of that same text, as a ratio.

    python bench/parser_bench.py [--mb 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rectify.notice import parse  # noqa: E402
from rectify.notice.reader import decode_text  # noqa: E402

SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
TARGET_MB_S = 10.0


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of this process over `repeat` runs: a per-core figure that other load on
    the machine does not inflate (wall time is printed alongside for the whole run)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def _big_notice(text: str, size: int) -> str:
    """One notice whose findings section is repeated until the text reaches `size` bytes."""
    head, marker, rest = text.partition("二、")
    body, _, tail = rest.partition("三、")
    section = body.split("\n", 1)[1]
    copies = max(1, size // max(1, len(section.encode())))
    return head + marker + body.split("\n", 1)[0] + "\n" + section * copies + "三、" + tail


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="parser_bench", description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of report text to build")
    args = parser.parse_args(argv)
    began = time.perf_counter()

    seeds = [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]
    if not seeds:
        print(f"no seed notices under {SEEDS}", file=sys.stderr)
        return 2
    target = int(args.mb * 1024 * 1024)
    documents: list[bytes] = []
    total = 0
    while total < target:
        for data in seeds:
            documents.append(data)
            total += len(data)
    megabytes = total / (1024 * 1024)

    def read_only() -> None:
        for data in documents:
            decode_text(data).splitlines()

    def parse_all() -> None:
        for data in documents:
            parse(decode_text(data))

    read_s = _best(read_only)
    parse_s = _best(parse_all, repeat=2)

    sys.path.insert(0, str(REPO))
    from tests.notice.variants import pdf_like, traditional

    variants = {}
    for label, shape in (("PDF copies", pdf_like), ("traditional reposts", traditional)):
        shaped = [shape(data.decode("utf-8")).encode("utf-8") for data in seeds]
        docs = [shaped[i % len(shaped)] for i in range(len(documents))]
        size = sum(map(len, docs)) / (1024 * 1024)

        def read_shaped(docs: list[bytes] = docs) -> None:
            for data in docs:
                decode_text(data).splitlines()

        def parse_shaped(docs: list[bytes] = docs) -> None:
            for data in docs:
                parse(decode_text(data))

        variants[label] = (size, _best(read_shaped), _best(parse_shaped, repeat=2))

    big = _big_notice(seeds[1].decode("utf-8"), target)
    big_mb = len(big.encode()) / (1024 * 1024)
    small = _big_notice(seeds[1].decode("utf-8"), target // 10)
    small_mb = len(small.encode()) / (1024 * 1024)
    big_s = _best(lambda: parse(big), repeat=2)
    small_s = _best(lambda: parse(small), repeat=2)
    levels = parse(big).levels()

    command = "python bench/parser_bench.py" + (f" --mb {args.mb:g}" if args.mb != 10.0 else "")
    rows = [
        ("read+decode+split lines", f"{megabytes / read_s:8.1f} MB/s", "(baseline)", command),
        (f"parse {len(documents)} notices ({megabytes:.1f} MB)", f"{megabytes / parse_s:8.1f} MB/s",
         f"≥ {TARGET_MB_S:g} MB/s per core", command),
        (f"parse one {big_mb:.1f} MB notice", f"{big_mb / big_s:8.1f} MB/s", f"≥ {TARGET_MB_S:g} MB/s per core", command),
        (f"parse one {small_mb:.1f} MB notice", f"{small_mb / small_s:8.1f} MB/s", "linear: ≈ the row above", command),
        ("parse cost / read cost", f"{parse_s / read_s:8.1f} ×", "—", command),
    ]
    for label, (size, shaped_read_s, shaped_parse_s) in variants.items():
        rows.append((f"parse the notices as {label} ({size:.1f} MB)", f"{size / shaped_parse_s:8.1f} MB/s",
                     f"≥ {TARGET_MB_S:g} MB/s per core", command))
        rows.append((f"  {label}: parse cost / read cost", f"{shaped_parse_s / shaped_read_s:8.1f} ×", "—", command))
    widths = [max(len(r[i]) for r in rows + [("figure", "value", "bound", "command")]) for i in range(4)]
    header = ("figure", "value", "bound", "command")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(f"\n(MB/s from best-of-N CPU time of one process; large notice: findings levels {levels[:3]}…;"
          f" Python {sys.version.split()[0]}; wall {time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
