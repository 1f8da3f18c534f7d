"""Encodings as they come from the real world: UTF-8 with or without BOM, Windows-1252;
damaged or foreign encodings are refused at their line and column."""

import pytest

from hospiscope.sources.issues import InvalidFile
from hospiscope.sources.textfile import detect_encoding, open_text, utf8_copy

TEXT = "finess;libellé\r\n010000024;Centre hospitalier de Bourg-en-Bresse – œuvre\r\n"


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8 avec BOM"),
        ("cp1252", "Windows-1252"),
    ],
)
def test_supported_encodings_read_the_same_text(tmp_path, codec, label):
    path = tmp_path / "f.csv"
    path.write_bytes(TEXT.encode(codec))
    assert detect_encoding(path).label == label
    with open_text(path) as handle:
        assert handle.read() == TEXT
    with utf8_copy(path, detect_encoding(path)) as copy:
        assert copy.read_bytes().decode("utf-8-sig") == TEXT


def test_ascii_only_file_is_utf8(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"finess;nom\n010000024;CH\n")
    assert detect_encoding(path).label == "UTF-8"


def test_utf16_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(InvalidFile, match="UTF-16 non pris en charge"):
        detect_encoding(path)


def test_damaged_utf8_is_refused_at_its_place(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("libellé\nligne deux\nCH ".encode() + b"\xe9" + b"tampes\n")
    with pytest.raises(InvalidFile) as error:
        detect_encoding(path)
    issue = error.value.issues[0]
    assert (issue.line, issue.column) == (3, "caractère 4")
    assert "UTF-8" in issue.reason


def test_bytes_undefined_in_cp1252_are_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"nom\nCH\x81\n")
    with pytest.raises(InvalidFile, match="Windows-1252"):
        detect_encoding(path)
