"""The book of every establishment's results (web/establishment_book.py) answers exactly what
the warehouse answers page by page (values.establishment_values), for every establishment of
a spread of the demo's establishments (every k-th, some without results): it is a faster
way to the same answer, never another answer."""

from hospiscope.web import registry
from hospiscope.web.values import establishment_values

SAMPLE = 300  # the warehouse's way costs ~18 ms an establishment


def test_the_book_answers_as_the_warehouse(portal):
    store = portal.app.state.store
    book = store.prepared("book")
    with store.cursor() as con:
        every = con.execute("SELECT finess_et FROM establishments ORDER BY 1").fetchall()
        numbers = [row[0] for row in every[:: max(1, len(every) // SAMPLE)]]
        compared = 0
        for finess in numbers:
            from_book = book.values(finess)
            values, notices = establishment_values(
                con, finess, registry.peer_groups(con, finess), None
            )
            if from_book is None:  # nothing stored: the page asks the warehouse why
                assert values == []
                continue
            assert [v.model_dump() for v in from_book[0]] == [v.model_dump() for v in values]
            assert from_book[1] == notices
            compared += 1
    assert compared >= 0.5 * len(numbers)  # most demo establishments have results
    assert compared < len(numbers)  # and some have none
