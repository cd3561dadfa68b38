"""Plain tables (files, pipes, cron mail): whatever the cells, every line is laid out as if each
cell were padded on its own, so a faster way of writing lines can never change a byte."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from ehcp_cli.render import Column, plain_table

# Cells with the awkward characters: line breaks (a cell of several lines), trailing blanks and
# other whitespace (stripped only at the end of a line), `%` and braces (never a template).
cell_text = st.text(alphabet=st.sampled_from("ab é漢%{} \t\n"), max_size=12)


def reference(rows: list[list[str]], columns: list[Column], widths: list[int]) -> str:
    """Each cell padded to its column's width by itself, two spaces apart, blanks stripped at
    the end of each line; a cell of several lines spreads its row over that many lines."""
    out = []
    for cells in rows:
        split = [cell.split("\n") for cell in cells]
        for n in range(max(len(p) for p in split)):
            parts = [p[n] if n < len(p) else "" for p in split]
            padded = [part.rjust(w) if c.justify == "right" else part.ljust(w)
                      for part, c, w in zip(parts, columns, widths, strict=True)]
            if columns[-1].justify != "right":
                padded[-1] = parts[-1]
            out.append("  ".join(padded).rstrip() + "\n")
    return "".join(out)


@given(justify=st.lists(st.sampled_from(["left", "right"]), min_size=1, max_size=4),
       data=st.data())
def test_plain_table_pads_every_line_as_each_cell_alone(justify, data):
    columns = [Column(f"k{i}", f"H{i}", justify=j) for i, j in enumerate(justify)]
    body = data.draw(st.lists(st.lists(cell_text, min_size=len(columns), max_size=len(columns)),
                              min_size=1, max_size=6))
    out = io.StringIO()
    count = plain_table([{c.key: v for c, v in zip(columns, cells, strict=True)} for cells in body],
                        columns, out=out)
    assert count == len(body)
    widths = [max(len(part) for text in [c.header, *(cells[i] for cells in body)]
                  for part in text.split("\n")) for i, c in enumerate(columns)]
    header = [[c.header for c in columns], ["-" * w for w in widths]]
    assert out.getvalue() == reference(header + body, columns, widths)


def test_a_cell_longer_than_its_column_after_the_sample_widens_its_line(monkeypatch):
    monkeypatch.setattr("ehcp_cli.render.PLAIN_SAMPLE", 1)
    columns = [Column("a", "A"), Column("b", "B", justify="right"), Column("c", "C")]
    out = io.StringIO()
    plain_table([{"a": "x", "b": "1", "c": "z"}, {"a": "long\ny", "b": "22", "c": ""}], columns,
                out=out)
    assert out.getvalue() == "A  B  C\n-  -  -\nx  1  z\nlong  22\ny\n"
