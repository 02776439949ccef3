"""Figure 1: cold start to an interactive leads list vs a bare Textual app (fresh processes)."""

from __future__ import annotations

import os
import subprocess
import time

from benchmarks.common import PY, ROOT, Report, Row, SandboxProcess, Settings, median


def spawn(mode: str, env: dict[str, str]) -> float:
    env = {**env, "BENCH_SPAWN": repr(time.perf_counter())}
    out = subprocess.run(
        [PY, "-m", "benchmarks.startup_child", mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = out.stdout.split()
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"startup child {mode} failed: {out.stderr[-2000:]}")
    return float(lines[-1])


def run(settings: Settings, report: Report, demo_sandbox: SandboxProcess) -> None:
    env = dict(os.environ)
    env_key = {
        **env,
        "SENDKIT_API_KEY": demo_sandbox.api_key,
        "SENDKIT_BASE_URL": demo_sandbox.url,
    }
    env_key.pop("SENDKIT_WORKSPACE_ID", None)
    modes = {"bare": env, "demo": env, "env": env_key}
    times: dict[str, list[float]] = {m: [] for m in modes}
    for mode, mode_env in modes.items():  # warm-up: page cache, not bytecode (compiled)
        spawn(mode, mode_env)
    for _ in range(settings.runs(9, 3)):
        for mode, mode_env in modes.items():  # interleaved, so drift hits all alike
            times[mode].append(spawn(mode, mode_env))
    bare = median(times["bare"])
    for mode, label in (
        ("demo", "cold start → leads drawn, --demo (in-process sandbox)"),
        ("env", "cold start → leads drawn, env key (sandbox pre-started)"),
    ):
        ours = median(times[mode])
        report.add(Row(label, ours, bare, "ms", "≤ 1.5x", ours / bare <= 1.5))
    spread = ", ".join(f"{m} [{min(v):.0f}-{max(v):.0f}]" for m, v in times.items())
    report.notes.append(f"startup ms min-max over {len(times['bare'])} runs: {spread}")
