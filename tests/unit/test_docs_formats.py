"""The format documentation cannot drift from the code: every column of every layout is
documented in docs/formats.md or docs/formats/<family>.md."""

from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
from hospiscope.sources.families import tabular_imports
from hospiscope.sources.finess.etalab import STRUCTURE_FIELDS

from support import ROOT

DOCS = "\n".join(path.read_text("utf-8") for path in sorted((ROOT / "docs").rglob("*.md")))


def test_every_esatis_column_is_documented():
    for questionnaire in QUESTIONNAIRES.values():
        for column in columns(questionnaire):
            assert f"`{column.name}`" in DOCS, column.name


def test_every_tabular_layout_is_documented():
    for entry in tabular_imports().values():
        assert entry.command in DOCS, entry.command
        for field in entry.layout.fields:
            assert f"`{field.name}`" in DOCS or ";".join(entry.layout.header) in DOCS, (
                entry.command,
                field.name,
            )


def test_etalab_layout_is_documented():
    assert ";".join(STRUCTURE_FIELDS) in DOCS


def test_ght_layout_is_documented():
    from hospiscope.sources.ght import HEADER

    assert ";".join(HEADER) in DOCS
    for name in HEADER:
        assert f"`{name}`" in DOCS, name
