#!/usr/bin/env python3
"""Console benchmarks, end to end in tmux (called by scripts/bench.sh tui).

  bench-tui.py KAFKAOPS_BIN KAFKAOPS_BENCH_BIN

1. keypress latency while every backend call hangs (a frozen broker: tansu stopped with SIGSTOP);
2. time from start to the first complete screen, and resident memory then, against tansu with 200 topics;
3. resident memory with the demo cluster scaled to 10,000 partitions and 1,000 groups.
Prints figures; asserts nothing.
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

BIN, BENCH = sys.argv[1], sys.argv[2]
TANSU = os.environ["KAFKAOPS_TANSU"]
SOCK = f"kafkaops-bench-{os.getpid()}"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, "-f", "/dev/null", *args], capture_output=True, text=True).stdout


def pane():
    return tmux("capture-pane", "-p", "-t", "b")


def start(cmd, env=None, size=(120, 40)):
    tmux("kill-server")
    prefix = "env " + " ".join(f"{k}={v}" for k, v in (env or {}).items()) + " " if env else ""
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]), prefix + cmd)
    return t0


def pane_pid():
    return int(tmux("display", "-p", "-t", "b", "#{pane_pid}").strip())


def wait_for(text, timeout=15.0, since=None):
    t0 = since if since is not None else time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if text in pane():
            return time.perf_counter() - t0
        time.sleep(0.001)
    raise SystemExit(f"timed out waiting for {text!r}; screen:\n{pane()}")


def wait_gone(text, timeout=5.0):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if text not in pane():
            return time.perf_counter() - t0
        time.sleep(0.001)
    raise SystemExit(f"{text!r} did not go away; screen:\n{pane()}")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return -1


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_tansu():
    port = free_port()
    p = subprocess.Popen([TANSU, "broker", "--listener-url", f"tcp://127.0.0.1:{port}",
                          "--advertised-listener-url", f"tcp://127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return p, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("tansu did not start")


def keypress_latency():
    broker, port = start_tansu()
    try:
        broker.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
        start(f"{BIN} --bootstrap 127.0.0.1:{port} --timeout 30")
        wait_for("kafkaops")
        lat = []
        for _ in range(20):
            t0 = time.perf_counter()
            tmux("send-keys", "-t", "b", "?")
            wait_for("Help", since=t0)
            lat.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            tmux("send-keys", "-t", "b", "Escape")
            wait_gone("Help")
            lat.append(time.perf_counter() - t0)
        print(f"keypress drawn while every backend call hangs (frozen broker): median {statistics.median(lat)*1000:.1f} ms, "
              f"max {max(lat)*1000:.1f} ms over {len(lat)} keys, incl. tmux send-keys/capture-pane (target 50 ms)")
    finally:
        tmux("kill-server")
        broker.send_signal(signal.SIGCONT)
        broker.kill()


def first_screen():
    broker, port = start_tansu()
    try:
        subprocess.run([BENCH, "seed", "--bootstrap", f"127.0.0.1:{port}", "--topics", "200", "--partitions", "3",
                        "--groups", "10", "--records", "1"], check=True, stdout=subprocess.DEVNULL)
        times, rss = [], []
        for _ in range(5):
            t0 = start(f"{BIN} --bootstrap 127.0.0.1:{port}")
            # The overview is complete when the topic and group counts are in.
            wait_for("Topics 200", since=t0)
            wait_for("Groups 10", since=t0)
            times.append(time.perf_counter() - t0)
            rss.append(rss_mb(pane_pid()))
            tmux("kill-server")
        print(f"start to first complete screen against tansu with 200 topics: median {statistics.median(times)*1000:.0f} ms "
              f"(target 250 ms), resident memory then {statistics.median(rss):.1f} MB (target 30 MB)")
    finally:
        tmux("kill-server")
        broker.kill()


def scaled_demo():
    t0 = start(f"{BIN} --demo", env={"KAFKAOPS_DEMO_SCENARIO": "scaled:1000:10:1000"})
    wait_for("Topics 1000", since=t0, timeout=60)
    time.sleep(3)  # a refresh or two
    pid = pane_pid()
    tmux("send-keys", "-t", "b", "2")
    time.sleep(1)
    tmux("send-keys", "-t", "b", "3")
    time.sleep(1)
    print(f"resident memory with the demo cluster at 10,000 partitions and 1,000 groups: {rss_mb(pid):.1f} MB (target 80 MB)")
    tmux("kill-server")


if __name__ == "__main__":
    keypress_latency()
    first_screen()
    scaled_demo()
