"""SQLite storage for leads: one connection, one lock, keyset paging on indexes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sendkit_tui.sandbox.records import INSERT, SELECT, record_of, tag_rows, to_row
from sendkit_tui.sandbox.validate import Filters
from sendkit_tui.sandbox.wire import IdGenerator

SCHEMA = """
CREATE TABLE IF NOT EXISTS leads (
    id TEXT NOT NULL PRIMARY KEY,
    workspaceId TEXT NOT NULL,
    email TEXT NOT NULL,
    firstName TEXT, lastName TEXT, companyName TEXT, jobTitle TEXT, phone TEXT,
    linkedinUrl TEXT, city TEXT, state TEXT, country TEXT,
    tags TEXT NOT NULL, customFields TEXT NOT NULL,
    emailVerified INTEGER NOT NULL, emailVerificationResult TEXT,
    userId TEXT NOT NULL, createdMs INTEGER NOT NULL, updatedMs INTEGER NOT NULL,
    search TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS leads_email ON leads (workspaceId, email);
CREATE INDEX IF NOT EXISTS leads_page ON leads (workspaceId, id);
CREATE INDEX IF NOT EXISTS leads_verified ON leads (workspaceId, emailVerified, id);
CREATE TABLE IF NOT EXISTS lead_tags (
    workspaceId TEXT NOT NULL, tag TEXT NOT NULL, leadId TEXT NOT NULL,
    PRIMARY KEY (workspaceId, tag, leadId)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lead_tags_lead ON lead_tags (leadId);
CREATE TABLE IF NOT EXISTS campaigns (
    id TEXT NOT NULL PRIMARY KEY, workspaceId TEXT NOT NULL,
    name TEXT NOT NULL, status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_leads (
    leadId TEXT NOT NULL, campaignId TEXT NOT NULL, PRIMARY KEY (leadId, campaignId)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS targets (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
"""


def where(workspace_id: str, filters: Filters) -> tuple[str, list[Any]]:
    clauses, params = ["workspaceId = ?"], [workspace_id]
    if filters.verified is not None:
        clauses.append("emailVerified = ?")
        params.append(1 if filters.verified else 0)
    if filters.search:
        clauses.append("instr(search, ?) > 0")
        params.append(filters.search)
    if filters.tags:
        marks = ", ".join("?" * len(filters.tags))
        clauses.append(
            "EXISTS (SELECT 1 FROM lead_tags t WHERE t.workspaceId = leads.workspaceId "
            f"AND t.tag IN ({marks}) AND t.leadId = leads.id)"
        )
        params.extend(filters.tags)
    return " AND ".join(clauses), params


class Store:
    """All SQL lives here. Every method takes the lock; the lock is re-entrant."""

    def __init__(self, path: str = ":memory:") -> None:
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        self.ids = IdGenerator()
        self._totals: dict[tuple[Any, ...], int] = {}
        if path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)
        last = self.conn.execute("SELECT max(id) FROM leads").fetchone()[0]
        self.ids.reset(last)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; any change invalidates the cached totals."""
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            self._totals.clear()

    def is_empty(self) -> bool:
        with self.lock:
            return self.conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is None

    def wipe(self) -> None:
        with self.tx() as db:
            for table in ("leads", "lead_tags", "campaigns", "campaign_leads"):
                db.execute(f"DELETE FROM {table}")
        self.ids.reset()

    # --- writes ----------------------------------------------------------------------

    def insert(
        self, db: sqlite3.Connection, rows: list[tuple[Any, ...]], tags: list[tuple[str, str, str]]
    ) -> None:
        db.executemany(INSERT, rows)
        db.executemany("INSERT OR IGNORE INTO lead_tags VALUES (?, ?, ?)", tags)

    def replace(self, db: sqlite3.Connection, record: dict[str, Any], updated: int) -> None:
        """Overwrite a stored lead with ``record`` (same id, workspace, creator)."""
        row = to_row(
            record["id"],
            record["workspaceId"],
            record["userId"],
            record,
            record["createdMs"],
            updated,
        )
        db.execute("DELETE FROM leads WHERE id = ?", (record["id"],))
        db.execute("DELETE FROM lead_tags WHERE leadId = ?", (record["id"],))
        self.insert(db, [row], tag_rows(record["workspaceId"], record["id"], record["tags"]))

    def id_by_email(self, workspace_id: str, email: str) -> str | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT id FROM leads WHERE workspaceId = ? AND email = ?", (workspace_id, email)
            ).fetchone()
        return row[0] if row else None

    def ids_by_email(self, workspace_id: str, emails: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self.lock:
            for start in range(0, len(emails), 500):
                chunk = emails[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT email, id FROM leads WHERE workspaceId = ? AND email IN ({marks})"
                found.update(self.conn.execute(sql, (workspace_id, *chunk)).fetchall())
        return found

    # --- reads -----------------------------------------------------------------------

    def record(self, lead_id: str, workspace_id: str | None = None) -> dict[str, Any] | None:
        sql, params = f"SELECT {SELECT} FROM leads WHERE id = ?", [lead_id]
        if workspace_id is not None:
            sql += " AND workspaceId = ?"
            params.append(workspace_id)
        with self.lock:
            row = self.conn.execute(sql, params).fetchone()
        return record_of(row) if row else None

    def records_by_email(self, email: str) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {SELECT} FROM leads WHERE email = ? ORDER BY id", (email,)
            ).fetchall()
        return [record_of(r) for r in rows]

    def count(self, workspace_id: str, filters: Filters | None = None) -> int:
        filters = filters or Filters()
        key = (workspace_id, *filters.key())
        with self.lock:
            if key not in self._totals:
                if filters.tags and not filters.search and filters.verified is None:
                    marks = ", ".join("?" * len(filters.tags))
                    sql = (
                        "SELECT count(DISTINCT leadId) FROM lead_tags "
                        f"WHERE workspaceId = ? AND tag IN ({marks})"
                    )
                    params = [workspace_id, *filters.tags]
                else:
                    clause, params = where(workspace_id, filters)
                    sql = f"SELECT count(*) FROM leads WHERE {clause}"
                self._totals[key] = self.conn.execute(sql, params).fetchone()[0]
            return self._totals[key]

    def page(
        self, workspace_id: str, filters: Filters, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """Newest first: up to ``limit`` records with ``id < cursor``, and whether more follow."""
        clause, params = where(workspace_id, filters)
        if cursor:
            clause += " AND id < ?"
            params.append(cursor)
        sql = f"SELECT {SELECT} FROM leads WHERE {clause} ORDER BY id DESC LIMIT ?"
        with self.lock:
            rows = self.conn.execute(sql, [*params, limit + 1]).fetchall()
        return [record_of(r) for r in rows[:limit]], len(rows) > limit

    # --- campaigns and deletes ---------------------------------------------------------

    def add_campaign(
        self,
        db: sqlite3.Connection,
        campaign_id: str,
        workspace_id: str,
        name: str,
        status: str,
        lead_ids: Iterable[str],
    ) -> None:
        db.execute(
            "INSERT INTO campaigns VALUES (?, ?, ?, ?)", (campaign_id, workspace_id, name, status)
        )
        db.executemany(
            "INSERT OR IGNORE INTO campaign_leads VALUES (?, ?)",
            [(lead_id, campaign_id) for lead_id in lead_ids],
        )

    def campaign_count(self, workspace_id: str) -> int:
        with self.lock:
            sql = "SELECT count(*) FROM campaigns WHERE workspaceId = ?"
            return self.conn.execute(sql, (workspace_id,)).fetchone()[0]

    def campaign_lead_ids(self, workspace_id: str, status: str = "active") -> list[str]:
        with self.lock:
            rows = self.conn.execute(
                "SELECT DISTINCT cl.leadId FROM campaign_leads cl JOIN campaigns c "
                "ON c.id = cl.campaignId WHERE c.workspaceId = ? AND c.status = ? "
                "ORDER BY cl.leadId DESC",
                (workspace_id, status),
            ).fetchall()
        return [r[0] for r in rows]

    def delete(
        self,
        workspace_id: str,
        *,
        lead_ids: Sequence[str] | None = None,
        filters: Filters | None = None,
        exclude: Sequence[str] = (),
        force: bool = False,
    ) -> tuple[int, list[dict[str, Any]], int]:
        """Delete by ids or by filters. Returns ``(deleted, blocking campaigns, blocked)``.

        When leads in active campaigns are among the targets and ``force`` is false, nothing
        is deleted and the campaigns are returned with the number of such leads.
        """
        with self.tx() as db:
            db.execute("DELETE FROM temp.targets")
            if lead_ids is not None:
                db.executemany(
                    "INSERT OR IGNORE INTO temp.targets SELECT id FROM leads "
                    "WHERE workspaceId = ? AND id = ?",
                    [(workspace_id, i) for i in lead_ids],
                )
            else:
                clause, params = where(workspace_id, filters or Filters())
                db.execute(f"INSERT INTO temp.targets SELECT id FROM leads WHERE {clause}", params)
                db.executemany("DELETE FROM temp.targets WHERE id = ?", [(i,) for i in exclude])
            in_targets = "IN (SELECT id FROM temp.targets)"
            active = "SELECT id FROM campaigns WHERE status = 'active'"
            rows = db.execute(
                f"SELECT c.id, c.name, count(*) FROM campaign_leads cl "
                f"JOIN campaigns c ON c.id = cl.campaignId "
                f"WHERE c.status = 'active' AND cl.leadId {in_targets} "
                "GROUP BY c.id ORDER BY c.name"
            ).fetchall()
            if rows and not force:
                blocked = db.execute(
                    f"SELECT count(DISTINCT leadId) FROM campaign_leads "
                    f"WHERE leadId {in_targets} AND campaignId IN ({active})"
                ).fetchone()[0]
                campaigns = [{"id": i, "name": n, "leadCount": c} for i, n, c in rows]
                return 0, campaigns, blocked
            db.execute(f"DELETE FROM lead_tags WHERE leadId {in_targets}")
            db.execute(f"DELETE FROM campaign_leads WHERE leadId {in_targets}")
            deleted = db.execute(f"DELETE FROM leads WHERE id {in_targets}").rowcount
            db.execute("DELETE FROM temp.targets")
            return deleted, [], 0
