#!/usr/bin/env python3
"""Opens N connections to the host's front door that each send a message's headers and 3 of its
1,000 bytes, then stall; prints the host's threads and resident memory before and with them open.
Then the live heap (jcmd GC.class_histogram, which collects first) with them open and once they are
closed: the difference is what the connections hold, free of how much of the heap the JVM had
touched before (the RSS figure depends on it).
Usage: src/bench/stalled.py PORT HOST_PID N"""
import re
import socket
import subprocess
import sys
import time


def status(pid):
    text = open(f'/proc/{pid}/status').read()
    return int(re.search(r'Threads:\s+(\d+)', text).group(1)), int(re.search(r'VmRSS:\s+(\d+)', text).group(1)) / 1024


def live_heap(pid):
    histogram = subprocess.run(['jcmd', str(pid), 'GC.class_histogram'], capture_output=True, text=True, check=True).stdout
    return int(re.search(r'^Total\s+\d+\s+(\d+)', histogram, re.M).group(1))


port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
threads_before, rss_before = status(pid)
stalled = []
for _ in range(n):
    s = socket.create_connection(('127.0.0.1', port))
    s.sendall(b'POST /services/bench/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 1000\r\n\r\nabc')
    stalled.append(s)
time.sleep(3)  # let the host take every connection in
threads_with, rss_with = status(pid)
print(f'RESULT stalled {n}: host threads {threads_before} -> {threads_with}, '
      f'RSS {rss_before:.0f} -> {rss_with:.0f} MiB (+{rss_with - rss_before:.0f})')
live_with = live_heap(pid)
for s in stalled:
    s.close()
time.sleep(3)  # let the host end every exchange
live_after = live_heap(pid)
print(f'RESULT stalled {n}: live heap with them {live_with / 2**20:.1f} MiB, once closed {live_after / 2**20:.1f} MiB: '
      f'{(live_with - live_after) / n / 1024:.1f} KiB a connection')
