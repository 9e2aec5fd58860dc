#!/usr/bin/env python3
"""A role instance's launch -> ready in two app images, alternated: OLD started as a Java 17 host
started its instances (heap, processors, class path, nothing else), NEW as this host does (quiet JVM
logging, native access, the image's instance.aot). Usage: src/bench/ready_against.py OLD NEW [PAIRS]"""
import statistics
import subprocess
import sys
import tempfile
import time


def class_path(image):
    with open(f'{image}/lib/app/sluice.cfg') as cfg:
        return ':'.join(line.strip().split('=', 1)[1].replace('$APPDIR', f'{image}/lib/app')
                        for line in cfg if line.startswith('app.classpath='))


def launch_to_ready(image, options, work):
    command = [f'{image}/lib/runtime/bin/java', '-Xmx256m', '-XX:ActiveProcessorCount=1', *options,
               '-Dsluice.role=instance', '-cp', class_path(image), 'org.sluice.cli.SluiceMain', 'instance',
               '--definition', f'{work}/definition.json', '--index', '0', '--work', f'{work}/instance']
    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if '"ready"' in line:
            break
    elapsed = (time.monotonic() - start) * 1000
    process.stdin.write('stop\n')
    process.stdin.flush()
    process.stdout.read()
    process.wait()
    return elapsed


old, new = sys.argv[1], sys.argv[2]
pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
work = tempfile.mkdtemp(prefix='sluice-bench-ready')
with open(f'{work}/definition.json', 'w') as definition:
    definition.write(f'{{"name":"bench","units":1,"validate":"json","destination":"dir:{work}/outbox"}}')
new_options = ['-Xlog:disable', '-Xlog:all=warning,aot*=off,cds*=off:stderr', '--enable-native-access=ALL-UNNAMED',
               f'-XX:AOTCache={new}/lib/app/instance.aot']
times = {'old': [], 'new': []}
for i in range(pairs):
    for which in (('old', 'new') if i % 2 == 0 else ('new', 'old')):
        times[which].append(launch_to_ready(old, [], work) if which == 'old' else launch_to_ready(new, new_options, work))
for which, values in times.items():
    print(f'RESULT ready {which} launchToReadyMs n={len(values)} min={min(values):.0f} '
          f'p50={statistics.median(values):.0f} max={max(values):.0f}')
print(f"RESULT ready ratio new/old (medians) = {statistics.median(times['new']) / statistics.median(times['old']):.2f}")
