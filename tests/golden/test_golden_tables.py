"""The golden-table helper itself: comments skipped, source required, columns by name."""

import pandas as pd
import pytest
from golden_tables import GOLDEN_DIR, assert_columns_close, load_golden


def _write(tmp_path, text):
    (tmp_path / "table.csv").write_text(text, encoding="utf-8")
    return load_golden("table.csv", directory=tmp_path)


def test_comment_lines_become_notes_and_are_not_data(tmp_path):
    table = _write(tmp_path, "# source: Someone (2000), Table 1\n# precision: 2 dp\na,b\n1,2\n")
    assert table.sources == ["Someone (2000), Table 1"]
    assert ("precision", "2 dp") in table.notes
    assert table.frame.to_dict("list") == {"a": [1], "b": [2]}


def test_a_golden_file_without_source_is_refused(tmp_path):
    with pytest.raises(ValueError, match="must name its source"):
        _write(tmp_path, "# precision: 2 dp\na\n1\n")


def test_columns_are_compared_by_name_not_position():
    expected = pd.DataFrame({"lower": [0.1], "upper": [0.9]})
    swapped = pd.DataFrame({"upper": [0.9], "lower": [0.1]})
    assert_columns_close(swapped, expected, ["lower", "upper"], atol=0.0)


def test_mismatch_reports_row_column_and_tolerance():
    expected = pd.DataFrame({"lower": [0.1, 0.2]})
    actual = pd.DataFrame({"lower": [0.1, 0.3]})
    with pytest.raises(AssertionError, match=r"row 1, lower: expected 0.2, got 0.3"):
        assert_columns_close(actual, expected, ["lower"], atol=1e-3)


def test_every_shipped_golden_file_names_a_source():
    names = sorted(path.name for path in GOLDEN_DIR.glob("*.csv"))
    assert names, "no golden files found"
    for name in names:
        assert load_golden(name).sources
