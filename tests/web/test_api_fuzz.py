"""The open-data API fuzzed against its own OpenAPI schema (schemathesis): whatever the
parameters — huge, malformed, hostile — no answer is a server error, every answer is
documented (status codes and the one error shape). Anonymous: the private operations answer
401/403 (or a form's 303/429), never anything else."""

import warnings

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from web.conftest import HOSTILE_FINESS

PUBLIC = (200, 400, 404)
PRIVATE = (200, 303, 400, 401, 403, 404, 429)  # 200: the sign-in form
PRIVATE_PATHS = ("/espace", "/connexion", "/deconnexion")


@pytest.fixture(scope="module")
def api(hostile_warehouse):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from hospiscope.web.app import create_app

        return schemathesis.openapi.from_asgi("/openapi.json", create_app(hostile_warehouse))


def test_no_server_error_on_any_operation(api):
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @hypothesis.settings(
            max_examples=30,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error])
            allowed = PRIVATE if case.path.startswith(PRIVATE_PATHS) else PUBLIC
            assert response.status_code in allowed, (case.path, response.status_code)
            json = "json" in response.headers.get("content-type", [""])[0]
            if response.status_code >= 400 and json:
                assert set(response.json()["error"]) >= {"status", "code", "message"}

        fuzz()


def test_a_known_establishment_answers(api):
    operation = api["/etablissements/{finess}.json"]["GET"]
    response = operation.Case(path_parameters={"finess": HOSTILE_FINESS}).call()
    assert response.status_code == 200


@pytest.fixture(scope="module")
def national_token(hostile_warehouse, api) -> str:
    """A national account's API token on the fuzzed server's access database."""
    from hospiscope.access import accounts, tokens
    from hospiscope.access.clock import utc_now
    from hospiscope.access.database import AccessDatabase, access_path

    with AccessDatabase(access_path(hostile_warehouse)) as db, db.transaction() as con:
        account = accounts.find_account(con, "fuzz.national") or accounts.add_account(
            con, "fuzz.national", "national", [], None, utc_now()
        )
        return tokens.issue_token(con, account, utc_now(), label="fuzz").secret


def test_no_server_error_on_the_private_operations_as_a_signed_in_user(api, national_token):
    """The private operations with a national account's token: every answer documented, never
    a server error (forms refuse a token: they need the session's CSRF token)."""
    operations = [
        result.ok()
        for result in api.get_all_operations()
        if result.ok().path.startswith(PRIVATE_PATHS)
    ]
    assert len(operations) >= 10
    headers = {"Authorization": f"Bearer {national_token}"}
    seen = []
    for operation in operations:

        @hypothesis.settings(
            max_examples=15,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])
            assert response.status_code in (*PRIVATE, 201, 409), (case.path, response.status_code)
            seen.append((case.path, response.status_code))

        fuzz()
    assert ("/espace/national/revue.json", 200) in seen  # the token was taken
