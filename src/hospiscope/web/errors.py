"""The one error shape of the web application, for pages and their JSON twins alike:

    {"error": {"status": 404, "code": "unknown_establishment",
               "message": "…in French…", "details": [{"parameter": "q", "reason": "…"}]}}

A page answers the same error as HTML (templates/error.html). Nothing else reaches a client:
unknown routes, invalid parameters and unexpected failures are turned into this shape, and a
failure never shows a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

log = logging.getLogger("hospiscope.web")


class ErrorDetail(BaseModel):
    parameter: str | None = None
    reason: str


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(BaseModel):
    error: ErrorBody


class WebError(Exception):
    """An answer other than success, raised by a page builder."""

    def __init__(self, status: int, code: str, message: str, details: list[ErrorDetail] = ()):
        super().__init__(message)
        self.body = ErrorBody(status=status, code=code, message=message, details=list(details))


def not_found(code: str, message: str) -> WebError:
    return WebError(404, code, message)


def bad_parameter(parameter: str, reason: str) -> WebError:
    return WebError(
        400,
        "invalid_parameter",
        f"paramètre « {parameter} » invalide : {reason}",
        [ErrorDetail(parameter=parameter, reason=reason)],
    )


# What a client sees for the HTTP errors the framework raises itself.
_FRAMEWORK = {
    404: ("not_found", "page introuvable"),
    405: ("method_not_allowed", "méthode non autorisée : le portail se consulte en lecture"),
}


def install(app: FastAPI, render_html) -> None:
    """Route every error to the one shape; `render_html(request, body)` draws the page."""

    def respond(request: Request, body: ErrorBody) -> Response:
        if wants_json(request):
            return JSONResponse(ErrorResponse(error=body).model_dump(), status_code=body.status)
        return render_html(request, body)

    @app.exception_handler(WebError)
    async def web_error(request: Request, error: WebError) -> Response:
        return respond(request, error.body)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        details = [_detail(item) for item in error.errors()]
        names = ", ".join(sorted({d.parameter for d in details if d.parameter}))
        message = f"paramètre(s) invalide(s) : {names}" if names else "requête invalide"
        return respond(
            request,
            ErrorBody(status=400, code="invalid_parameter", message=message, details=details),
        )

    @app.exception_handler(StarletteHTTPException)
    async def framework(request: Request, error: StarletteHTTPException) -> Response:
        code, message = _FRAMEWORK.get(error.status_code, ("http_error", "requête refusée"))
        return respond(request, ErrorBody(status=error.status_code, code=code, message=message))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("erreur interne sur %s", request.url.path)
        message = "erreur interne du portail : l'incident est consigné dans le journal du serveur"
        return respond(request, ErrorBody(status=500, code="internal_error", message=message))


def wants_json(request: Request) -> bool:
    """A JSON twin (…​.json), an export (public or private) or the API: the error comes as
    JSON."""
    path = request.url.path
    private_file = path.startswith("/espace/") and path.endswith(("/resultats", ".csv", ".xlsx"))
    return path.endswith(".json") or path.startswith(("/api/", "/exports/")) or private_file


_REASONS = {
    "missing": "valeur obligatoire absente",
    "int_parsing": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "less_than_equal": "valeur trop grande",
    "greater_than_equal": "valeur trop petite",
    "less_than": "valeur trop grande",
    "greater_than": "valeur trop petite",
    "string_pattern_mismatch": "format non reconnu",
    "enum": "valeur non reconnue",
    "literal_error": "valeur non reconnue",
    "too_long": "trop de valeurs",
}


def _detail(item: dict) -> ErrorDetail:
    location = [str(part) for part in item.get("loc", ()) if part not in ("query", "path")]
    reason = _REASONS.get(item.get("type", ""), "valeur invalide")
    context = item.get("ctx") or {}
    if "max_length" in context:
        reason += f" (au plus {context['max_length']})"
    if "expected" in context and item.get("type") in ("enum", "literal_error"):
        reason += f" (attendu : {context['expected']})"
    return ErrorDetail(parameter=".".join(location) or None, reason=reason)
