"""`ehcp case history`: every change, oldest first, who and when, never rewritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import resolve_url


def test_history_lists_every_change_oldest_first(ehcp, opened):
    r = ehcp("--user", "alice", "advice", "request", opened, "health", "--on", "2026-01-12")
    assert r.code == 0
    assert ehcp("--user", "bob", "case", "update", opened, "--setting", "Elm School").code == 0
    assert ehcp("move", opened, "assessing", "--on", "2026-02-20").code == 0
    r = ehcp("case", "history", opened, "--format", "json")
    assert r.code == 0, r.err
    rows = r.json()
    assert [(h["user"], h["action"]) for h in rows] == [
        ("tester", "case-opened"), ("alice", "advice-requested"), ("bob", "case-updated"),
        ("tester", "moved")]
    assert rows[0]["details"]["name"] == "Test Child"
    assert rows[2]["details"]["changes"] == {"setting": {"from": None, "to": "Elm School"}}
    stamps = [datetime.fromisoformat(h["at"]) for h in rows]
    assert all(s.utcoffset() is not None for s in stamps)  # ISO with a time zone, on both backends
    assert all(h["at"].endswith("+00:00") for h in rows)
    assert stamps == sorted(stamps)


def test_history_table(ehcp, opened):
    r = ehcp("case", "history", opened)
    assert r.code == 0
    assert "case-opened" in r.out and "tester" in r.out


def test_history_of_an_unknown_case(ehcp, opened):
    r = ehcp("case", "history", "NOPE")
    assert (r.code, r.out, r.err) == (1, "", "error: no case with reference NOPE\n")


def test_refused_commands_leave_no_history(ehcp, opened):
    before = ehcp("case", "history", opened, "--format", "json").json()
    assert ehcp("move", opened, "issued", "--on", "2026-01-06").code == 1
    assert ehcp("case", "update", opened).code == 1
    assert ehcp("case", "history", opened, "--format", "json").json() == before


def test_history_survives_a_failed_tamper_attempt(ehcp, opened, db):
    engine = create_engine(resolve_url(db))
    for statement in ("UPDATE audit SET action = 'x'", "DELETE FROM audit"):
        try:
            with engine.begin() as conn:
                conn.execute(text(statement))
        except Exception as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{statement} was allowed")
    engine.dispose()
    assert [h["action"] for h in ehcp("case", "history", opened, "--format", "json").json()] == [
        "case-opened"]
    assert ehcp("db", "verify").code == 0
