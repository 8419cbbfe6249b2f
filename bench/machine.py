"""The machine and how busy it is: what it is, its load, and the CPU time processes use."""

import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def describe() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    memory_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(memory_kib / 1024**2, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": node,
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _busy_and_total_ticks() -> tuple[int, int]:
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def _process_ticks(pid: int) -> int:
    """CPU ticks of a process (all its threads) and of its children, recursively."""
    try:
        # The command name may hold spaces: the fields that follow come after its ")".
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12]) + sum(_process_ticks(int(c)) for c in children)


@dataclass
class Usage:
    """What a stretch of time cost: the share of all cores busy (ours and anyone else's), and
    the CPU seconds each watched process used."""

    processes: dict[str, int] = field(default_factory=dict)  # name -> pid
    machine_busy: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> "Usage":
        self._machine = _busy_and_total_ticks()
        self._ticks = {name: _process_ticks(pid) for name, pid in self.processes.items()}
        return self

    def __exit__(self, *exc_info: object) -> None:
        busy, total = _busy_and_total_ticks()
        self.machine_busy = round((busy - self._machine[0]) / max(1, total - self._machine[1]), 3)
        self.cpu_seconds = {
            name: (_process_ticks(pid) - self._ticks[name]) / CLOCK_TICKS
            for name, pid in self.processes.items()
        }
