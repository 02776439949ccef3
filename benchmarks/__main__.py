"""``make bench``: every benchmark, medians next to same-run baselines, one table.

python -m benchmarks [--quick] [--only startup,scale,keys,patch,save,sandbox]
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.common import Report, SandboxProcess, Settings, compile_app, render

GROUPS = ("startup", "scale", "keys", "patch", "save", "sandbox")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer runs (~1 min)")
    parser.add_argument("--only", help="comma-separated subset of " + ",".join(GROUPS))
    args = parser.parse_args(argv)
    groups = args.only.split(",") if args.only else list(GROUPS)
    settings = Settings(quick=args.quick)
    started = time.perf_counter()
    compile_app()

    from benchmarks import keystroke, leads_scale, patch_size, sandbox_rates, save, startup
    from sendkit_tui.cli.entry import DEMO_SEED
    from sendkit_tui.sandbox import DEMO_WORKSPACE_KEY

    boxes = {seed: SandboxProcess(seed, DEMO_WORKSPACE_KEY) for seed in (25, DEMO_SEED, 100_000)}
    report = Report()
    try:
        for box in boxes.values():
            box.wait()
        small, demo, big = boxes[25], boxes[DEMO_SEED], boxes[100_000]
        steps = {  # order matters: creates (save, sandbox) come after the list figures
            "startup": lambda: startup.run(settings, report, demo),
            "scale": lambda: leads_scale.run(settings, report, small, big),
            "keys": lambda: keystroke.run(settings, report, small),
            "patch": lambda: patch_size.run(settings, report, small),
            "save": lambda: save.run(settings, report, small),
            "sandbox": lambda: sandbox_rates.run(settings, report, small, big),
        }
        for name in GROUPS:
            if name in groups:
                print(f"[{name}]", file=sys.stderr, flush=True)
                steps[name]()
    finally:
        for box in boxes.values():
            box.stop()
    report.notes.append(
        f"total {time.perf_counter() - started:.0f} s"
        f"{' (--quick)' if settings.quick else ''}; ratio = ours / baseline."
    )
    print(render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
