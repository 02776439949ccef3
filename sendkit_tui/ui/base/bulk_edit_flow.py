"""Bulk edit from the leads list (``b``), and undo of the last batch (palette).

``b`` first offers to resume a batch that stopped before it finished against this same server
and workspace (a crash, a closed terminal); otherwise it opens the operation dialog for the
marked leads or, with nothing marked, for every lead matching the current search and filter,
which the dialog confirms once more with the count. The run and its result are
``BulkProgressScreen``; when it closes, the list reloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from sendkit_tui.bulk.resume import Target
    from sendkit_tui.domain.bulk_edit import BulkOp


def _target(screen: Any) -> tuple[Target, Path] | None:
    from sendkit_tui.bulk.edit_resume import journal_path
    from sendkit_tui.bulk.resume import Target
    from sendkit_tui.domain.wording import explain

    try:
        client = screen.app.require_client()
    except Exception as error:
        screen.status.say(explain(error))
        return None
    credential = screen.app.connection.credential
    key = credential.key if credential is not None else None
    target = Target.of(client.base_url, client.workspace_id, key)
    return target, journal_path(target)


async def start_bulk_edit(screen: Any) -> None:
    """``b`` on the list: resume an unfinished batch, or choose a new one."""
    from sendkit_tui.bulk.edit_resume import Journal, load_batch
    from sendkit_tui.domain.wording import bulk_edit_resume_offer
    from sendkit_tui.ui.dialogs.confirm import ConfirmScreen

    found = _target(screen)
    if found is None:
        return
    target, path = found
    batch = load_batch(path, target)
    if batch is not None and batch.ended is None and batch.pending():
        left = len(batch.pending())

        async def answer(yes: bool | None) -> None:
            if yes:
                _run(screen, target, path, journal=Journal.reopen(path, batch), prefer_fresh=True)
            else:
                await _choose(screen, target, path)

        question = bulk_edit_resume_offer(batch.describe(), left, batch.target_shown)
        await screen.app.push_screen(
            ConfirmScreen(question, yes="Resume", no="Start a new one"), answer
        )
        return
    await _choose(screen, target, path)


async def _choose(screen: Any, target: Target, path: Path) -> None:
    from sendkit_tui.ui.dialogs.bulk_edit import BulkEditDialog

    in_memory = [row.id for row in screen.rows if row.id in screen.marked]
    marked = in_memory + sorted(set(screen.marked) - set(in_memory))
    filters = screen.filters()
    total = screen.total if screen.total is not None else len(screen.rows)
    if marked:
        what = "1 marked lead" if len(marked) == 1 else f"{len(marked):,} marked leads"
    elif any(value not in (None, "", []) for value in filters.values()):
        what = f"all {total:,} leads matching the current search/filter"
    else:
        what = f"all {total:,} leads in this workspace"

    def chosen(op: BulkOp | None) -> None:
        if op is None:
            return
        if marked:
            _start_marked(screen, target, path, op, marked)
        else:  # the dialog asked once more, with the count
            _run(screen, target, path, op=op, filters=filters)

    await screen.app.push_screen(BulkEditDialog(what, confirm=not marked), chosen)


def _start_marked(screen: Any, target: Target, path: Path, op: BulkOp, ids: list[str]) -> None:
    from sendkit_tui.bulk.edit_resume import Journal, new_batch
    from sendkit_tui.bulk.edit_runner import current_of

    copies = {row.id: current_of(row.raw) for row in screen.rows if row.id in set(ids)}
    journal = Journal.open_new(path, new_batch(target, ids, op=op))
    _run(screen, target, path, journal=journal, copies=copies, prefer_fresh=True)


def _run(screen: Any, target: Target, path: Path, **options: Any) -> None:
    from sendkit_tui.ui.dialogs.bulk_progress import BulkProgressScreen

    def closed(changed: int | None) -> None:
        screen.reload()  # whatever happened, show the leads as they are now
        if changed:
            screen.status.say(f"Bulk edit changed {changed:,} lead(s).")

    screen.app.push_screen(BulkProgressScreen(target, path, **options), closed)


def undo_last_bulk_edit(screen: Any) -> None:
    """The palette's "Undo last bulk edit" for this server and workspace."""
    from sendkit_tui.bulk.edit_resume import Journal, load_batch

    found = _target(screen)
    if found is None:
        return
    target, path = found
    batch = load_batch(path, target)
    if batch is None or batch.is_undo or not batch.changes():
        screen.status.say("No bulk edit to undo for this server and workspace.")
        return
    _run(screen, target, path, journal=Journal.reopen(path, batch), undo=True)
