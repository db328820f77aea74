"""What the operator sees while a run goes: a live status line on a terminal, plain lines elsewhere."""

import os
import shutil
import sys
import time


def fmt_elapsed(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes:02d}:{seconds:02d}"


class Progress:
    """Called with ansible-runner's events. live=True redraws one status line (a TTY, not CI)."""

    def __init__(self, stream=None, live=None):
        self.stream = stream or sys.stderr
        if live is None:
            live = self.stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        self.live = live
        self.started = time.monotonic()
        self.play = ""
        self.task = ""
        self.done = {}
        self.failed = set()
        self.shown = False

    def __call__(self, kind, payload, outcome):
        if kind == "status":
            return
        event = payload.get("event")
        data = payload.get("event_data", {})
        if event == "playbook_on_play_start":
            self.play = data.get("play", "")
            self.line(f"PLAY {self.play}")
        elif event == "playbook_on_task_start":
            self.task = data.get("task", "")
            self.done = {}
            if not self.live:
                self.line(f"  TASK {self.task}")
        elif event in ("runner_on_ok", "runner_on_skipped", "runner_on_failed", "runner_on_unreachable"):
            host = data.get("host", "?")
            failed = event in ("runner_on_failed", "runner_on_unreachable") and not data.get("ignore_errors")
            self.done[host] = "failed" if failed else ("changed" if (data.get("res") or {}).get("changed") else "ok")
            if failed:
                self.failed.add(host)
                reason = "unreachable" if event == "runner_on_unreachable" else "failed"
                self.line(f"  {reason.upper()}: {host} in '{data.get('task', '')}'")
        self.status()

    def line(self, text):
        self.clear()
        self.stream.write(f"[{fmt_elapsed(time.monotonic() - self.started)}] {text}\n")
        self.stream.flush()

    def status(self):
        if not self.live:
            return
        counts = {state: sum(1 for s in self.done.values() if s == state) for state in ("ok", "changed", "failed")}
        text = (f"[{fmt_elapsed(time.monotonic() - self.started)}] {self.task or self.play} | hosts ok {counts['ok']}"
                f" changed {counts['changed']} failed {counts['failed']} | failed so far {len(self.failed)}")
        width = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r\x1b[2K" + text[: max(width - 1, 20)])
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.live and self.shown:
            self.stream.write("\r\x1b[2K")
            self.shown = False

    def close(self):
        self.clear()
        self.stream.flush()
