"""docs/formats.md cannot drift from the code: every column of every layout is documented."""

from hospiscope.sources.capacity import HEADER
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
from hospiscope.sources.finess.etalab import STRUCTURE_FIELDS

from support import ROOT

DOC = (ROOT / "docs" / "formats.md").read_text("utf-8")


def test_every_esatis_column_is_documented():
    for questionnaire in QUESTIONNAIRES.values():
        for column in columns(questionnaire):
            assert f"`{column.name}`" in DOC, column.name


def test_capacity_and_etalab_layouts_are_documented():
    assert ";".join(HEADER) in DOC
    assert ";".join(STRUCTURE_FIELDS) in DOC
