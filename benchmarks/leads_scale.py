"""Figure 2: first page drawn at 100,000 leads vs 25 (time, peak memory); paging to 10,000."""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.common import (
    SIZE,
    MiB,
    Report,
    Row,
    SandboxProcess,
    Settings,
    make_app,
    median,
    next_frame_when,
    until,
)


def has_rows(app) -> bool:
    try:
        screen = app.screen
    except Exception:
        return False
    pages = getattr(screen, "pages", None)
    return pages is not None and pages.row(0) is not None


async def first_page(sandbox: SandboxProcess, *, memory: bool, page_to: int = 0) -> dict:
    """ms (or traced peak MiB) from app start to the first page drawn; optional paging."""
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        if memory:
            tracemalloc.start()
        app = make_app(sandbox.url, sandbox.api_key, Path(tmp))
        start = time.perf_counter()
        waiter = asyncio.ensure_future(next_frame_when(lambda: has_rows(app)))
        result: dict = {}
        try:
            async with app.run_test(headless=False, size=SIZE):
                drawn = await waiter
                result["ms"] = (drawn - start) * 1000
                if memory:
                    result["peak"] = tracemalloc.get_traced_memory()[1] / MiB
                if page_to:
                    result["paging"] = await page(app, page_to)
        finally:
            if memory:
                tracemalloc.stop()
    return result


async def page(app, target: int) -> dict:
    """Move to the last row again and again: the list fetches the next page each time (and
    lets go of pages far behind, so the figure at 10,000 rows shows memory stays bounded)."""
    screen = app.screen
    table = screen.table
    marks: dict[int, float] = {}
    start = time.perf_counter()
    while screen.pages.row_count < target:
        count = screen.pages.row_count
        if count in (100, 1000) and count not in marks:
            gc.collect()
            marks[count] = tracemalloc.get_traced_memory()[0] / MiB
        table.move_cursor(row=table.row_count - 1)
        await until(lambda n=count: screen.pages.row_count > n and not screen.fetching, 60)
    elapsed = time.perf_counter() - start
    gc.collect()
    marks[screen.pages.row_count] = tracemalloc.get_traced_memory()[0] / MiB
    return {"marks": marks, "seconds": elapsed, "rows": table.row_count}


def run(settings: Settings, report: Report, small: SandboxProcess, big: SandboxProcess) -> None:
    asyncio.run(_run(settings, report, small, big))


async def _run(settings: Settings, report: Report, small: SandboxProcess, big: SandboxProcess):
    await first_page(small, memory=False)  # warm-up: imports, CSS parse caches
    await first_page(big, memory=False)
    times = {"small": [], "big": []}
    peaks = {"small": [], "big": []}
    for _ in range(settings.runs(9, 3)):
        for name, box in (("small", small), ("big", big)):
            times[name].append((await first_page(box, memory=False))["ms"])
    for _ in range(settings.runs(5, 2)):
        for name, box in (("small", small), ("big", big)):
            peaks[name].append((await first_page(box, memory=True))["peak"])
    t_big, t_small = median(times["big"]), median(times["small"])
    m_big, m_small = median(peaks["big"]), median(peaks["small"])
    report.add(
        Row(
            "first page drawn, 100k vs 25 leads",
            t_big,
            t_small,
            "ms",
            "≤ 1.1x",
            t_big / t_small <= 1.1,
        )
    )
    report.add(
        Row(
            "  peak traced memory to first page",
            m_big,
            m_small,
            "MiB",
            "≤ 1.2x",
            m_big / m_small <= 1.2,
        )
    )
    report.notes.append(
        f"first page ms min-max over {len(times['big'])} runs: 100k "
        f"[{min(times['big']):.0f}-{max(times['big']):.0f}], 25 "
        f"[{min(times['small']):.0f}-{max(times['small']):.0f}]; peak MiB: 100k "
        f"[{min(peaks['big']):.2f}-{max(peaks['big']):.2f}], 25 "
        f"[{min(peaks['small']):.2f}-{max(peaks['small']):.2f}]"
    )
    target = 2000 if settings.quick else 10_000
    paged = (await first_page(big, memory=True, page_to=target))["paging"]
    marks = paged["marks"]
    for rows, mib in sorted(marks.items()):
        report.add(Row(f"  traced MiB after paging {rows:,} rows", mib, None, "MiB"))
    report.notes.append(
        f"paging to {paged['rows']:,} rows took {paged['seconds']:.1f} s "
        f"(tracemalloc on, so slower than real)"
    )
