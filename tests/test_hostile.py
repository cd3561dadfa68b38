"""Hostile input: whatever a user (or a script gone wrong) types, ehcp answers with one `error:`
line or a clean success, never a traceback, and a refusal never writes anything."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import resolve_url

EXAMPLES = 50
# No shrinking: a failure prints its example as found, and the suite's time stays bounded.
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

NASTY = [
    "'; DROP TABLE cases; --", "Robert'); DELETE FROM audit;--", '"double" \'single\'',
    "[bold]Bold[/bold]", "[red", "[/]", "[link=http://x]y[/link]", "שלום עולם", "مرحبا",
    "\u202eevil\u202c", "\u200b", "e\u0301", "🙂" * 10, "\x00", "a\x00b", "\x1b[31mred", "\r\n",
    "line1\nline2", "\t", "%s%n", "{0}{name}", "../../etc/passwd", "NULL", "None", "-", "--",
    "--help", " ", "", "x" * 5000, "y" * 100_000, "T1", "t1",
]
JUNK_DATES = [
    "2026-02-30", "31/02/2026", "29/02/2025", "2026-13-01", "0000-00-00", "99999-01-01",
    "12/31/2026", "1900-01-01", "1/1/1", "2026-1-5", "tomorrow", "today", "yesterday", "",
    "2026-01-05T10:00", "５/１/２０２６", "2026-01-05\x00", "0001-01-01", "9999-12-31",
]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
dates = st.one_of(st.sampled_from(JUNK_DATES), st.text(max_size=20),
                  st.dates().map(lambda d: d.isoformat()))
stages = st.one_of(st.sampled_from(["assessing", "issued", "ceased", "drafted", "requested"]),
                   texts)
refs = st.one_of(st.just("T1"), texts)


@pytest.fixture
def check(ehcp, opened, db):  # type: ignore[no-untyped-def]
    """Run a command and assert the invariants; returns the result."""
    engine = create_engine(resolve_url(db))

    def counts() -> tuple[int, ...]:
        with engine.connect() as conn:
            return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                         for t in ("cases", "events", "deadlines", "audit"))

    def run(*args: str):  # type: ignore[no-untyped-def]
        before = counts()
        r = ehcp(*args)
        assert "Traceback" not in r.err and "internal error" not in r.err, (args, r.err)
        assert r.code in (0, 1, 2), (args, r)
        if r.code:
            lines = r.err.splitlines()
            assert lines and all(line.startswith("error: ") for line in lines), (args, r.err)
            if args[0] != "import":  # an import lists every problem, one line each
                assert len(lines) == 1, (args, r.err)
            assert counts() == before, args
        else:
            assert "error:" not in r.err
        return r

    yield run
    engine.dispose()


@SETTINGS
@given(name=texts, dob=dates, received=dates, ref=st.none() | texts, coordinator=texts,
       setting=texts, upn=st.none() | texts, need=st.none() | texts)
def test_case_open(check, name, dob, received, ref, coordinator, setting, upn, need):
    args = ["case", "open", "--dob", dob, "--received", received,
            "--coordinator", coordinator, "--setting", setting]
    for option, value in (("--ref", ref), ("--upn", upn), ("--need", need)):
        if value is not None:
            args += [option, value]
    r = check(*args, "--", name)  # `--`: a name may begin with a dash
    if r.code == 0:
        shown = check("case", "show", r.out.strip(), "--format", "json")
        assert shown.code == 0 and shown.json()["name"] == name


@SETTINGS
@given(ref=refs, stage=stages, on=dates, note=st.none() | texts)
def test_move(check, ref, stage, on, note):
    args = ["move", ref, stage, "--on", on]
    if note is not None:
        args += ["--note", note]
    check(*args)


@SETTINGS
@given(ref=refs, kinds=st.lists(st.one_of(st.sampled_from(["health", "parent", "other"]), texts),
                                min_size=1, max_size=3),
       on=dates, provider=st.none() | texts)
def test_advice(check, ref, kinds, on, provider):
    args = ["advice", "request", ref, *kinds, "--on", on]
    if provider is not None:
        args += ["--from", provider]
    if not any(k.startswith("-") for k in kinds):
        check(*args)
    check("advice", "receive", ref, kinds[0], "--on", on)


@SETTINGS
@given(ref=refs, name=st.none() | texts, setting=st.none() | texts, upn=st.none() | texts,
       dob=st.none() | dates, year=st.none() | texts)
def test_case_update(check, ref, name, setting, upn, dob, year):
    args = ["case", "update", ref]
    for option, value in (("--name", name), ("--setting", setting), ("--upn", upn),
                          ("--dob", dob), ("--year-group", year)):
        if value is not None:
            args += [option, value]
    check(*args)


@pytest.mark.slow
@SETTINGS
@given(ref=refs, as_of=dates, stage=st.none() | texts, coordinator=st.none() | texts,
       within=st.none() | texts, fmt=st.one_of(st.sampled_from(["table", "csv", "json"]), texts))
def test_reading_commands(check, ref, as_of, stage, coordinator, within, fmt):
    check("case", "show", ref, "--as-of", as_of, "--format", fmt)
    check("case", "history", ref, "--format", fmt)
    listing = ["case", "list", "--format", fmt]
    if stage is not None:
        listing += ["--stage", stage]
    if coordinator is not None:
        listing += ["--coordinator", coordinator]
    check(*listing)
    overdue = ["overdue", "--as-of", as_of, "--format", fmt]
    if within is not None:
        overdue += ["--due-within", within]
    if coordinator is not None:
        overdue += ["--coordinator", coordinator]
    r = check(*overdue)
    if r.code == 0 and fmt == "json":
        r.json()


@pytest.mark.slow
@SETTINGS
@given(ref=refs, rule=texts, reason=st.one_of(st.sampled_from(["closure", "personal"]), texts),
       start=dates, end=st.none() | dates, decision=st.one_of(st.sampled_from(["amend"]), texts),
       on=dates)
def test_plan_commands(check, ref, rule, reason, start, end, decision, on):
    args = ["exception", "add", ref, rule, "--reason", reason, "--from", start]
    if end is not None:
        args += ["--to", end]
    if not rule.startswith("-"):
        check(*args)
    check("review", "held", ref, "--on", on)
    if not decision.startswith("-"):
        check("review", "decided", ref, decision, "--on", on)
    check("amend", "notice", ref, "--on", on)


# --- import files ------------------------------------------------------------------------------

HEADER = "ref,name,dob,received,issued,coordinator\n"
cells = st.one_of(st.sampled_from(NASTY[:-1] + JUNK_DATES), st.text(max_size=40))


@SETTINGS
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.lists(st.lists(cells, min_size=6, max_size=6), min_size=1, max_size=5).map(
        lambda rows: (HEADER + "".join(",".join('"' + c.replace('"', '""') + '"' for c in row)
                                        + "\n" for row in rows)).encode("utf-8", "surrogatepass")
    ),
    st.sampled_from([
        (HEADER + "R1,Zoë Brontë,2015-01-01,2026-01-05,,Sam\n").encode("utf-16"),
        (HEADER + "R1,Zoë Brontë,2015-01-01,2026-01-05,,Sam\n").encode("latin-1"),
        (HEADER + "R1,Ann,2015-01-01,2026-01-05,,Sam\x00\n").encode(),
        (HEADER + "R1," + "N" * 1_000_000 + ",2015-01-01,2026-01-05,,Sam\n").encode(),
        b"\xef\xbb\xbf" + HEADER.encode(),
        b"",
        b"\x00" * 100,
        HEADER.encode() + b"R1,Ann,2015-01-01,2026-01-05,,Sam\nR2,Bo\n",
    ]),
))
def test_import_hostile_files(check, ehcp, tmp_path, data):
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    r = ehcp("import", str(path))
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err
    assert r.code in (0, 1, 2), r
    if r.code:
        assert all(line.startswith("error: ") for line in r.err.splitlines()), r.err
    again = check("import", str(path))  # idempotent, and the invariants hold for a refusal
    assert again.code == r.code
