"""The OpenAPI description tells the truth about errors: every operation lists the 4xx it can answer.

drf-spectacular documents only the success response. A client (or schemathesis) reading the schema
must also learn that any call may be a 400 (bad input, DRF's `{"field": ["message"]}` or
`{"detail": "..."}`), a 401 (a bad token or bad credentials), a 404 (an id that is not the
caller's), a 403 where a role is needed, a 429 where a throttle applies, and a 503 while the
database is down.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": '`{"field": ["message"]}` per invalid field, or `{"detail": "message"}`.',
    "additionalProperties": True,
}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class ErrorResponsesAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "400": _json("Invalid input.", FIELD_ERRORS),
            "401": _json("Missing, expired or invalid token or credentials.", FIELD_ERRORS),
            "404": _json("Not found.", DETAIL),
        }
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            errors["403"] = _json("Not allowed for this account type.", DETAIL)
        if self.view.get_throttles():
            errors["429"] = _json("Too many requests; see Retry-After.", DETAIL)
        errors["503"] = _json("The database is unavailable; see Retry-After.", DETAIL)
        for code, response in errors.items():
            responses.setdefault(code, response)
        return responses
