"""Prints the side-by-side table from a bench/linkage/run.sh work directory."""

import json
import re
import sys


def usage(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return secs, rss / 1024


def main():
    out, sets = sys.argv[1], sys.argv[2:]
    print("| data set | tool | precision | recall | F1 | cluster F1 | wall s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    ratios = []
    for s in sets:
        row = {}
        for tool in ("sipmas", "splink"):
            sc = json.load(open(f"{out}/{s}/{tool}/scores.json"))
            secs, mb = usage(f"{out}/{s}/{tool}/time.txt")
            p = sc["pairs"]
            cf1 = sc["clusters"]["f1"] if "clusters" in sc else None
            row[tool] = (secs, mb)
            print(f"| {s} | {tool} | {p['precision']:.4f} | {p['recall']:.4f} | {p['f1']:.4f} | "
                  f"{'–' if cf1 is None else f'{cf1:.4f}'} | {secs:.1f} | {mb:.0f} |")
        ratios.append((s, row["splink"][0] / row["sipmas"][0], row["splink"][1] / row["sipmas"][1]))
    print()
    for s, t, m in ratios:
        print(f"{s}: sipmas is {t:.1f}x faster (wall) and uses {m:.1f}x less peak memory than Splink")


if __name__ == "__main__":
    main()
