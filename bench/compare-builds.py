# Two builds of the CLI on the same specs, as a user runs them (`emn train SPEC --json --workers 1`), alternating:
# medians of 7 of the child's CPU seconds (user + sys, from wait4: less sensitive to a loaded machine) and wall.
# usage: /usr/bin/python3 bench/compare-builds.py OLD/dist/cli.cjs NEW/dist/cli.cjs bench/specs/builds/*.emn
import os
import statistics
import subprocess
import sys
import time

old, new, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
sides = {'old': old, 'new': new}
for spec in specs:
    samples = {s: {'cpu': [], 'wall': []} for s in sides}
    for i in range(7):
        for side in (['old', 'new'] if i % 2 == 0 else ['new', 'old']):
            t0 = time.time()
            p = subprocess.Popen(['node', sides[side], 'train', spec, '--json', '--workers', '1'],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            if status != 0:
                sys.exit(f'{sides[side]} train {spec} failed (status {status})')
            samples[side]['wall'].append(time.time() - t0)
            samples[side]['cpu'].append(usage.ru_utime + usage.ru_stime)
    m = {s: {k: statistics.median(v) for k, v in samples[s].items()} for s in sides}
    print(f"{os.path.basename(spec)}: cpu old {m['old']['cpu']:.2f} s new {m['new']['cpu']:.2f} s "
          f"(new/old {m['new']['cpu'] / m['old']['cpu']:.3f}); wall new/old {m['new']['wall'] / m['old']['wall']:.3f}", flush=True)
