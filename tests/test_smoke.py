"""A first end-to-end pass through the main commands."""


def test_open_show_overdue(ehcp, opened):
    r = ehcp("advice", "request", opened, "health", "--on", "2026-02-16")
    assert r.code == 0, r.err
    doc = ehcp("case", "show", opened, "--as-of", "2026-05-01", "--format", "json").json()
    rules = {d["rule"]: d for d in doc["deadlines"]}
    assert rules["final-plan"]["due"] == "2026-05-25"
    assert rules["final-plan"]["act_by"] == "2026-05-22"
    rows = ehcp("overdue", "--as-of", "2026-05-01", "--format", "json").json()
    assert [r["rule"] for r in rows] == ["decision-to-assess", "advice", "issue-decision"]
