"""``make bench``: every benchmark, medians next to same-run baselines, one table.

python -m benchmarks [--quick] [--install] [--only GROUP,...]   (groups: see GROUPS)
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from benchmarks.common import Report, SandboxProcess, Settings, compile_app, render

GROUPS = (
    "startup",  # cold start → leads, vs a bare app (pty)
    "launch",  # launch → leads → n → create form ready for typing, keys checked (pty)
    "firstkey",  # leads visible → first key acted on (pty)
    "forms",  # n / enter → form ready, settled (fresh processes)
    "deferred",  # keystroke latency during the deferred start-up work (fresh processes)
    "scale",
    "keys",
    "keycount",  # keys to type the reference lead, with completion vs without (pilot)
    "patch",
    "save",
    "sandbox",
    "bulk",  # 10,000 leads tagged against a rate-limiting sandbox (own process)
    "install",  # make demo on a fresh machine: only with --install (downloads everything)
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer runs (~2 min)")
    parser.add_argument(
        "--install", action="store_true", help="also time `make demo` in a fresh venv"
    )
    parser.add_argument("--only", help="comma-separated subset of " + ",".join(GROUPS))
    args = parser.parse_args(argv)
    groups = args.only.split(",") if args.only else list(GROUPS)
    unknown = set(groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    install = args.install or (args.only is not None and "install" in groups)
    settings = Settings(quick=args.quick)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    compile_app()

    from benchmarks import (
        bulk_tag,
        first_form,
        first_key,
        install_time,
        key_count,
        keystroke,
        leads_scale,
        patch_size,
        probes,
        sandbox_rates,
        save,
        startup,
    )
    from sendkit_tui.cli.entry import DEMO_SEED
    from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY

    seeds = {"small": 25, "demo": DEMO_SEED, "big": 100_000, "creates": DEMO_SEED}
    boxes = {name: SandboxProcess(seed, DEMO_WORKSPACE_KEY) for name, seed in seeds.items()}
    report = Report()
    try:
        for box in boxes.values():
            box.wait()
        small, demo, big = boxes["small"], boxes["demo"], boxes["big"]
        # The demo-seeded box stays as seeded (its newest lead is --demo's); "launch" creates
        # leads in a box of its own. Creates in the small box (save, sandbox) come last.
        steps = {
            "startup": lambda: startup.run(settings, report, demo),
            "launch": lambda: first_form.run(settings, report, demo, boxes["creates"]),
            "firstkey": lambda: first_key.run(settings, report, demo),
            "forms": lambda: probes.run_forms(settings, report, demo),
            "deferred": lambda: probes.run_typing(settings, report, demo),
            "scale": lambda: leads_scale.run(settings, report, small, big),
            "keys": lambda: keystroke.run(settings, report, small),
            "keycount": lambda: key_count.run(settings, report, boxes["creates"]),
            "patch": lambda: patch_size.run(settings, report, small),
            "save": lambda: save.run(settings, report, small),
            "sandbox": lambda: sandbox_rates.run(settings, report, small, big),
            "bulk": lambda: bulk_tag.run(settings, report, DEMO_WORKSPACE_KEY),
            "install": lambda: install_time.run(settings, report, demo if install else None),
        }
        for name in GROUPS:
            if name in groups:
                print(f"[{name}]", file=sys.stderr, flush=True)
                steps[name]()
    finally:
        for box in boxes.values():
            box.stop()
    load = os.getloadavg()[0]
    report.notes.append(
        f"load average (1 min) at start {load_before:.2f}, at end {load:.2f}, on "
        f"{os.cpu_count()} CPUs: other work on the machine makes every figure slower"
    )
    report.notes.append(
        f"total {time.perf_counter() - started:.0f} s"
        f"{' (--quick)' if settings.quick else ''}; ratio = ours / baseline; spreads are "
        "min-max over the runs."
    )
    print(render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
