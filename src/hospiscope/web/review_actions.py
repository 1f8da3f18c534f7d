"""Review changes made from a page (an establishment accepts or contests; the national team
opens, publishes, withdraws, answers): each is applied with its audit event in one transaction
of the access database; a refusal (access/review.py's `ReviewRefused`) writes nothing but its
own refused event, and answers 409 in the one error shape with the French reason. After a
change of state, the store reloads at once, so that the public portal shows what was just
published (and stops showing what was withdrawn) from the next request on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Annotated

from fastapi import Form, Request

from hospiscope.access import audit
from hospiscope.access.clock import utc_now
from hospiscope.access.perimeter import Entity
from hospiscope.access.review import Change, ReviewRefused
from hospiscope.web.auth import Visitor, access_of, client_of
from hospiscope.web.errors import ErrorResponse, WebError
from hospiscope.web.twins import PRIVATE_ERRORS

# The review forms' fields, and their answers: a 303 back to the page, or the one error shape.
Campaign = Annotated[int, Form(ge=2000, le=2100, description="campagne (année)")]
Family = Annotated[str, Form(max_length=40, pattern=r"^[a-z_]+$", description="famille")]
CSRF = Annotated[str | None, Form(max_length=128)]
REVIEW_ERRORS = {
    **PRIVATE_ERRORS,
    409: {"model": ErrorResponse, "description": "refusé par la revue (délai clos, déjà fait…)"},
}


def apply_review_change(
    request: Request,
    who: Visitor,
    action: str,
    entity: Entity,
    change: Callable[[sqlite3.Connection], Change],
) -> Change:
    """Apply `change` for `who` on `entity`, audited; refused → 409."""
    event = {
        "actor": who.principal.login,
        "role": who.principal.role,
        "action": action,
        "entity_kind": entity.kind,
        "entity_id": entity.id,
        "route": request.url.path,
        "client": client_of(request),
    }
    try:
        with access_of(request).transaction() as con:
            done = change(con)
            details = {"campagne": done.campaign, "famille": done.family, **done.details}
            if done.warnings:
                details["avertissements"] = list(done.warnings)
            audit.record(con, outcome=audit.OK, details=details, at=utc_now(), **event)
    except ReviewRefused as error:
        with access_of(request).transaction() as con:
            audit.record(con, outcome=audit.REFUSED, details={"raison": str(error)},
                         at=utc_now(), **event)  # fmt: skip
        raise WebError(409, "review_refused", str(error)) from None
    if done.action == "review.transition":
        request.app.state.store.refresh(now=True)
    return done
