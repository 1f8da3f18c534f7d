"""The accounts administrator's page: every account with its role, perimeter and state (never
a password digest). Changes are made with `hospiscope users …` (audited). Kind `accounts` of
the one rule: the admin role only, which sees no data by that role alone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from hospiscope.access.accounts import ROLE_LABELS, list_accounts
from hospiscope.access.clock import utc_now
from hospiscope.access.perimeter import NATION
from hospiscope.web.auth import access_of, authorise
from hospiscope.web.pages.common import Layout, layout
from hospiscope.web.twins import page

router = APIRouter(tags=["administration"])


class AccountRow(BaseModel):
    login: str
    name: str | None
    role: str
    role_label: str
    scope: list[str]
    state: str  # actif, désactivé, verrouillé


class AccountsPage(BaseModel):
    layout: Layout
    accounts: list[AccountRow]


@page(
    router,
    "/espace/comptes",
    template="accounts.html",
    model=AccountsPage,
    summary="Comptes des espaces privés (administrateur des comptes)",
    private=True,
)
def accounts_page(request: Request) -> AccountsPage:
    authorise(request, NATION, "accounts")
    now = utc_now()
    with access_of(request).transaction() as con:
        found = list_accounts(con)
    return AccountsPage(
        layout=layout(request, "Comptes"),
        accounts=[
            AccountRow(
                login=a.login,
                name=a.display_name,
                role=a.role,
                role_label=ROLE_LABELS.get(a.role, a.role),
                scope=list(a.scope),
                state=a.state(now),
            )
            for a in found
        ],
    )
