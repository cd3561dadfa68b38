"""The audit chain's hash payload is exactly the JSON it has always been, so every hash written
by an earlier version (or by `case open` and `import` alike) still verifies."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from ehcp_cli.store.repo import chain_hash

TEXT = st.text()  # any Unicode: quotes, backslashes, control characters, astral planes


def reference_hash(prev: str, at: str, user: str, case_id: int | None, action: str,
                   details: str) -> str:
    payload = json.dumps([prev, at, user, case_id, action, details], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


@given(TEXT, TEXT, TEXT, st.none() | st.integers(), TEXT, TEXT)
def test_chain_hash_is_the_json_payload_hash(prev, at, user, case_id, action, details):
    assert chain_hash(prev, at, user, case_id, action, details) == reference_hash(
        prev, at, user, case_id, action, details)


def test_a_known_entry_keeps_its_hash():
    details = json.dumps({"name": "Zoë \"Z\" O'Neil\n", "ref": "T1"}, sort_keys=True)
    assert chain_hash("0" * 64, "2026-01-05T09:00:00.000000+00:00", "sam", 1, "opened",
                      details) == reference_hash("0" * 64, "2026-01-05T09:00:00.000000+00:00",
                                                 "sam", 1, "opened", details)
