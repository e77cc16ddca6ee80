"""Run every benchmark in bench/ and write bench/results/latest.md from their JSON results.

    make bench                      # all of them (the PostgreSQL ones against BENCH_DATABASE_URL)
    .venv/bin/python bench/run.py workdays sweep

Each benchmark is a script bench/bench_NAME.py that writes bench/results/NAME.json and reports
its figures as ratios against a baseline measured in the same run.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
POSTGRES = {"sweep", "duplicates", "web", "ranking"}  # these run on PostgreSQL
BOTH = {"intake", "import", "intake_http"}  # these run on SQLite, then on PostgreSQL
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench")


def run(name):
    databases = [None, PG_URL] if name in BOTH else [PG_URL if name in POSTGRES else None]
    for url in databases:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if url:
            env["DATABASE_URL"] = url
        print(f"== bench {name} on {'PostgreSQL' if url else 'SQLite'}", flush=True)
        subprocess.run([sys.executable, str(HERE / f"bench_{name}.py")], env=env, check=True, cwd=HERE.parent)


def table(result):
    return "\n".join(f"| {key} | {value} |" for key, value in result.items() if key not in ("bench",))


def write_summary():
    parts = [f"# Benchmark results\n\nWritten by `make bench` on {time.strftime('%Y-%m-%d')}; each figure "
             "beside the baseline measured in the same run.\n"]
    for path in sorted(RESULTS.glob("*.json")):
        result = json.loads(path.read_text().strip().splitlines()[-1])
        parts.append(f"## {result['bench']}\n\n| figure | value |\n|---|---|\n{table(result)}\n")
    (RESULTS / "latest.md").write_text("\n".join(parts))
    print(f"wrote {RESULTS / 'latest.md'}")


def main(names):
    names = names or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    for name in names:
        run(name)
    write_summary()


if __name__ == "__main__":
    main(sys.argv[1:])
