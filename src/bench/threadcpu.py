#!/usr/bin/env python3
"""The host's CPU time by its parts, from /proc: what src/bench/run.sh metrics and manage read before
and after each half of a pair, so that the cost of scrapes and polls shows even when the door's
throughput varies from pair to pair by more than that cost.

  threadcpu.py snap HOSTPID > FILE
      The CPU time of each of the host's threads (in nanoseconds from /proc/HOSTPID/task/*/schedstat,
      and in clock ticks from its stat, with its name from comm), the host process's own total in
      ticks (which keeps the time of threads that have ended) and the total of each of its child
      processes (the role instances), with the time.

  threadcpu.py result LABEL CALL BASE_BEFORE BASE_AFTER BASE_MESSAGES LOADED_BEFORE LOADED_AFTER LOADED_MESSAGES CALLS CALLS_SECONDS
      RESULT lines for one pair: each role's CPU seconds in both halves; the management
      listener's CPU per CALL (scrape, poll: CALLS of them spread evenly over CALLS_SECONDS, of which the loaded
      half's window holds its share), less what it used in the base half, and as a share of the
      door's own CPU in the loaded half; the role instances' CPU per message in both halves.

  threadcpu.py calls LABEL BEFORE AFTER CALLS
      One RESULT line for CALLS requests to the management listener made between two snapshots,
      with no other load: each role's CPU seconds and the management threads' CPU per request.

  threadcpu.py door LABEL BEFORE AFTER MESSAGES
      One RESULT line for MESSAGES sent through the front door between two snapshots (src/bench/run.sh
      forward): the CPU per message of the door's threads, of the whole host and of its instances,
      and their context switches per message (voluntary + involuntary, from each thread's status:
      how often a thread went to sleep or was put off a CPU), the instances' by part (their event
      loops, their message workers, the rest). CPU per message moves less with
      other load on the machine than messages a second do.

Threads are grouped by their names as the host gives them (comm keeps the first 15 characters):
management is the JDK's HTTPS server of the management listener (HTTP-Dispatcher, its
idle-timeout task) and the carriers of its virtual threads (ForkJoinPool-N-worker-M: with local
instances the host runs no other virtual thread); the door is Netty's sluice-front-door loops,
which also drive the door's connections to the instances; instance links are the
sluice-instance-* readers of each instance's control link (its events and samples); GC, JIT and
VM are the JVM's own threads (G1's, the compilers', the VM thread and its kin).
"""
import json
import os
import sys
import time

GROUPS = ("management", "door", "instance links", "GC", "JIT", "VM", "other", "ended threads")
GC_PREFIXES = ("GC Thread", "G1 ")
JIT_PREFIXES = ("C1 Compiler", "C2 Compiler")
VM_PREFIXES = ("VM Thread", "VM Periodic", "Service Thread", "Monitor Deflati", "Notification Th", "Sweeper",
               "Signal Dispatch")


def role(comm):
    # ForkJoinPool-1-worker-N, the virtual threads' carriers; not ForkJoinPool.commonPool-worker-N.
    if comm.startswith(("HTTP-Dispatcher", "idle-timeout-ta", "ForkJoinPool-")):
        return "management"
    if comm.startswith("sluice-front-do"):
        return "door"
    if comm.startswith("sluice-instance"):
        return "instance links"
    if comm.startswith(GC_PREFIXES):
        return "GC"
    if comm.startswith(JIT_PREFIXES):
        return "JIT"
    if comm.startswith(VM_PREFIXES):
        return "VM"
    return "other"


def ticks(stat):
    # The name in parentheses may hold spaces; the fields after it start with the state (field 3).
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def read(path):
    with open(path) as f:
        return f.read()


def switches(status):
    """Voluntary and involuntary context switches, from a thread's /proc status."""
    n = 0
    for row in status.splitlines():
        if row.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            n += int(row.split()[1])
    return n


def instance_part(comm):
    """An instance's thread by its part: its event loops, its message workers, or the rest."""
    if comm.startswith("instance-loop"):
        return "loops"
    if comm.startswith("instance-http"):
        return "workers"
    return "rest"


def process_switches(pid):
    """Context switches and CPU nanoseconds of a process's threads, by instance_part."""
    parts = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            part = parts.setdefault(instance_part(read(f"/proc/{pid}/task/{tid}/comm").strip()), [0, 0])
            part[0] += switches(read(f"/proc/{pid}/task/{tid}/status"))
            part[1] += int(read(f"/proc/{pid}/task/{tid}/schedstat").split()[0])
        except OSError:
            pass
    return parts


def snap(host):
    threads = {}
    for tid in os.listdir(f"/proc/{host}/task"):
        try:
            threads[tid] = {"comm": read(f"/proc/{host}/task/{tid}/comm").strip(),
                            "ticks": ticks(read(f"/proc/{host}/task/{tid}/stat")),
                            "ns": int(read(f"/proc/{host}/task/{tid}/schedstat").split()[0]),
                            "switches": switches(read(f"/proc/{host}/task/{tid}/status"))}
        except OSError:
            pass  # ended meanwhile: its time is in the process's total
    children = {}
    children_switches = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = read(f"/proc/{pid}/stat")
        except OSError:
            continue
        if stat[stat.rindex(")") + 2:].split()[1] == str(host):
            children[pid] = ticks(stat)
            try:
                children_switches[pid] = process_switches(pid)
            except OSError:
                pass
    return {"time": time.time(), "hz": os.sysconf("SC_CLK_TCK"), "total": ticks(read(f"/proc/{host}/stat")),
            "threads": threads, "children": children, "children_switches": children_switches}


def door_switches(before, after):
    """Context switches of the door's threads and of the instances' processes between two snapshots."""
    door = 0
    for tid, thread in after["threads"].items():
        was = before["threads"].get(tid)
        if role(thread["comm"]) == "door":
            door += thread.get("switches", 0) - (was.get("switches", 0) if was and was["comm"] == thread["comm"] else 0)
    was = before.get("children_switches", {})
    parts = {}
    for pid, now in after.get("children_switches", {}).items():
        for part, (n, ns) in now.items():
            then = was.get(pid, {}).get(part, [0, 0])
            sums = parts.setdefault(part, [0, 0])
            sums[0] += n - then[0]
            sums[1] += ns - then[1]
    return door, parts


def half(before, after):
    """Seconds of CPU by role between two snapshots, the window's length and the instances' CPU."""
    hz = after["hz"]
    by_role = dict.fromkeys(GROUPS, 0.0)
    counted = 0
    for tid, thread in after["threads"].items():
        was = before["threads"].get(tid)
        if not (was and was["comm"] == thread["comm"]):
            was = {"ticks": 0, "ns": 0}
        by_role[role(thread["comm"])] += (thread["ns"] - was["ns"]) / 1e9
        counted += thread["ticks"] - was["ticks"]
    # Threads that ended meanwhile are only in the process's total, which is kept in ticks.
    by_role["ended threads"] = max(0, after["total"] - before["total"] - counted) / hz
    instances = sum(t - before["children"].get(pid, 0) for pid, t in after["children"].items()) / hz
    return by_role, after["time"] - before["time"], instances


def line(by_role):
    return ", ".join(f"{name} {seconds:.3f} s" for name, seconds in by_role.items())


def result(label, calls_name, base_before, base_after, base_messages, loaded_before, loaded_after, loaded_messages,
           calls, calls_seconds):
    base, base_s, base_inst = half(json.loads(read(base_before)), json.loads(read(base_after)))
    loaded, loaded_s, loaded_inst = half(json.loads(read(loaded_before)), json.loads(read(loaded_after)))
    base_messages, loaded_messages = int(base_messages), int(loaded_messages)
    print(f"RESULT {label} host CPU by thread, alone ({base_s:.1f} s, {base_messages} messages): {line(base)}")
    print(f"RESULT {label} host CPU by thread, with {calls_name}s ({loaded_s:.1f} s, {loaded_messages} messages): {line(loaded)}")
    in_window = float(calls) * loaded_s / float(calls_seconds) if float(calls_seconds) > 0 else 0
    # What the management threads use anyway (the idle-timeout task, say), scaled to the loaded window.
    idle = base["management"] * loaded_s / base_s if base_s > 0 else 0
    per_call = (loaded["management"] - idle) / in_window if in_window > 0 else float("nan")
    share = loaded["management"] / loaded["door"] if loaded["door"] > 0 else float("nan")
    door_per_msg_base = base["door"] / base_messages * 1e6 if base_messages else float("nan")
    door_per_msg_loaded = loaded["door"] / loaded_messages * 1e6 if loaded_messages else float("nan")
    print(f"RESULT {label} management threads: {per_call * 1000:.2f} ms CPU per {calls_name}"
          f" (~{in_window:.0f} in the window, {loaded['management']:.3f} s less {idle:.3f} s as alone), "
          f"{share * 100:.1f}% of the door threads' own CPU in the same run ({loaded['door']:.3f} s); "
          f"door threads {door_per_msg_base:.1f} us per message alone, {door_per_msg_loaded:.1f} us with {calls_name}s; "
          f"GC {base['GC']:.3f} s alone, {loaded['GC']:.3f} s with {calls_name}s; "
          f"JIT {base['JIT']:.3f} s alone, {loaded['JIT']:.3f} s with {calls_name}s")
    inst_base = base_inst / base_messages * 1e6 if base_messages else float("nan")
    inst_loaded = loaded_inst / loaded_messages * 1e6 if loaded_messages else float("nan")
    print(f"RESULT {label} role instances' processes: {inst_base:.1f} us CPU per message alone ({base_inst:.3f} s), "
          f"{inst_loaded:.1f} us with {calls_name}s ({loaded_inst:.3f} s), ratio {inst_loaded / inst_base if inst_base else float('nan'):.3f}")


def calls(label, before, after, count):
    by_role, seconds, _ = half(json.loads(read(before)), json.loads(read(after)))
    count = int(count)
    per_call = by_role["management"] / count * 1000 if count else float("nan")
    print(f"RESULT {label}: {count} requests in {seconds:.1f} s, management threads {per_call:.3f} ms CPU per request; "
          f"host CPU by thread: {line(by_role)}")


def door(label, before, after, count):
    first, last = json.loads(read(before)), json.loads(read(after))
    by_role, seconds, instances = half(first, last)
    door_sw, parts = door_switches(first, last)
    instances_sw = sum(n for n, _ in parts.values())
    count = int(count)
    host = sum(by_role.values())

    def per(value):
        return value / count * 1e6 if count else float("nan")

    def each(value):
        return value / count if count else float("nan")
    print(f"RESULT {label}: {count} messages in {seconds:.1f} s; CPU per message: door threads {per(by_role['door']):.1f} us, "
          f"whole host {per(host):.1f} us, role instances {per(instances):.1f} us; "
          f"context switches per message: door threads {each(door_sw):.2f}, role instances {each(instances_sw):.2f}; "
          f"the instances' threads by part, switches and CPU per message: "
          + ", ".join(f"{part} {each(n):.2f} and {per(ns / 1e9):.1f} us" for part, (n, ns) in sorted(parts.items())))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "snap":
        json.dump(snap(int(sys.argv[2])), sys.stdout)
    elif len(sys.argv) == 12 and sys.argv[1] == "result":
        result(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "calls":
        calls(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "door":
        door(*sys.argv[2:])
    else:
        sys.exit(__doc__)
