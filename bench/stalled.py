#!/usr/bin/env python3
"""Opens N connections to the host's front door that each send a message's headers and 3 of its
1,000 bytes, then stall; prints the host's threads and resident memory before and with them open.
Usage: bench/stalled.py PORT HOST_PID N"""
import re
import socket
import sys
import time


def status(pid):
    text = open(f'/proc/{pid}/status').read()
    return int(re.search(r'Threads:\s+(\d+)', text).group(1)), int(re.search(r'VmRSS:\s+(\d+)', text).group(1)) / 1024


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
for s in stalled:
    s.close()
