"""Turn locust's `<prefix>_stats.csv` into the table of benchmarks/RESULTS.md: each page's
median, p95 and p99, its ratio to the bare authenticated page of the same run, and its errors.

    python3 benchmarks/load/report.py /tmp/anwen-load/run_stats.csv
"""

import csv
import sys

GOAL_P95, GOAL_P99 = 150, 300


def main(path: str) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] != "Aggregated"]
    base = next((r for r in rows if r["Name"].startswith("baseline")), None)
    base_median = float(base["50%"]) if base else 0.0
    print("| page | requests | errors | median ms | p95 ms | p99 ms | median ÷ baseline | goal |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = 0
    for r in sorted(rows, key=lambda r: -float(r["95%"] or 0)):
        p95, p99 = float(r["95%"] or 0), float(r["99%"] or 0)
        ok = p95 <= GOAL_P95 and p99 <= GOAL_P99 and r["Failure Count"] == "0"
        missed += not ok
        ratio = float(r["50%"]) / base_median if base_median else float("nan")
        print(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | "
            f"{r['95%']} | {r['99%']} | {ratio:.1f} | {'met' if ok else 'MISSED'} |"
        )
    print(
        f"\n{missed} page(s) missed the goal (p95 ≤ {GOAL_P95} ms, p99 ≤ {GOAL_P99} ms, no errors)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
