#!/usr/bin/env bash
# The load scenario: the demo district on SQLite, served by gunicorn on 127.0.0.1, and 50
# concurrent demo users (benchmarks/load/locustfile.py) for a few minutes. Run on demand, never
# in CI:   bash benchmarks/load/run.sh [users] [seconds]
# Prints the per-page table for benchmarks/RESULTS.md. Locust runs on the same machine as the
# server, so on 2 cores it takes some of the CPU the server would have: the ratio to the bare
# authenticated page (/ping/, same server, same run) is the figure that carries over. The
# statistics restart once every user has logged in (--reset-stats): a login hashes a password
# on purpose (PBKDF2), and 50 at once are not the day's mix.
# ANWEN_LOAD_HAZARDS (default 100000: 200 schools × 3 years, issue 8) hazards are added to the
# demo with bulk_create before the run (benchmarks/hazard_history.py); 0 leaves the demo's own.
# ANWEN_LOAD_CASES (default 20000, issue 9) cases of three years likewise
# (benchmarks/case_history.py: petitions and disputes with their clocks, grants, events).
# The register pages of issue 10 (the devices' list and rates) read the demo's own devices
# (about 4,900, devices/demo.py): nothing is added for them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
users=${1:-50}
seconds=${2:-120}
hazards=${ANWEN_LOAD_HAZARDS:-100000}
cases=${ANWEN_LOAD_CASES:-20000}
work=$(mktemp -d /tmp/anwen-load.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ANWEN_DEMO=1 ANWEN_DATA_DIR="$work/data" DJANGO_SETTINGS_MODULE=anwen.settings

echo "=== demo database in $work/data"
uv run anwen demo --reset --no-serve >"$work/demo.log"
if [ "$hazards" -gt 0 ]; then
    echo "=== $hazards hazards of three years (benchmarks/hazard_history.py)"
    uv run python -c "import sys, django; django.setup(); sys.path.insert(0, 'benchmarks'); \
from hazard_history import main; main($hazards)"
fi
if [ "$cases" -gt 0 ]; then
    echo "=== $cases cases of three years (benchmarks/case_history.py)"
    uv run python -c "import sys, django; django.setup(); sys.path.insert(0, 'benchmarks'); \
from case_history import main; main($cases)"
fi
uv run anwen collectstatic --noinput -v0
uv run anwen tick >/dev/null 2>&1 || true
uv run python -m django db_worker --batch >/dev/null 2>&1 || true

echo "=== gunicorn on 127.0.0.1:$port (2 workers × 4 threads)"
uv run gunicorn anwen.wsgi -w 2 --threads 4 -b "127.0.0.1:$port" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/login/" && break; sleep 0.2; done

echo "=== locust: $users users for ${seconds}s"
uv run --with 'locust>=2.40,<3' locust -f benchmarks/load/locustfile.py --headless \
    -u "$users" -r 10 -t "${seconds}s" --host "http://127.0.0.1:$port" \
    --reset-stats --csv "$work/run" --only-summary >"$work/locust.log" 2>&1 || true
python3 benchmarks/load/report.py "$work/run_stats.csv"
