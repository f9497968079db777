"""Stripe's error answers: status code plus `{"error": {...}}`, as the SDK expects them.

The `stripe` SDK picks its exception class from the status code (400/404 →
InvalidRequestError, 401 → AuthenticationError, 403 → PermissionError,
429 → RateLimitError, 5xx → APIError), so each error here carries both.
"""

from __future__ import annotations

import orjson

DOCS = "https://stripe.com/docs"


class ApiError(Exception):
    """An error answer: raised anywhere while handling a request, rendered once."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error: dict[str, str] = {"type": type, "message": message}
        if code:
            self.error["code"] = code
            self.error["doc_url"] = f"{DOCS}/error-codes/{code.replace('_', '-')}"
        if param:
            self.error["param"] = param

    def body(self) -> bytes:
        return orjson.dumps({"error": self.error})


def resource_missing(object_name: str, object_id: str, param: str = "id") -> ApiError:
    return ApiError(
        404 if param == "id" else 400,
        f"No such {object_name}: '{object_id}'",
        code="resource_missing",
        param=param,
    )


def parameter_unknown(param: str) -> ApiError:
    return ApiError(
        400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param
    )


def invalid_integer(param: str, value: str, low: int | None = None, high: int | None = None):
    if low is not None and high is not None:
        message = f"This value must be between {low} and {high} (it currently is '{value}')."
    else:
        message = f"Invalid integer: {value}"
    return ApiError(400, message, code="parameter_invalid_integer", param=param)


def invalid_enum(param: str, allowed: tuple[str, ...]) -> ApiError:
    """Stripe's answer to a value outside an enum: `Invalid status: must be one of a, b, or c`."""
    listed = (
        " or ".join(allowed) if len(allowed) < 3 else f"{', '.join(allowed[:-1])}, or {allowed[-1]}"
    )
    return ApiError(400, f"Invalid {param}: must be one of {listed}", param=param)


def invalid_boolean(param: str, value: str) -> ApiError:
    return ApiError(400, f"Invalid boolean: {value}", param=param)


def invalid_api_version(version: str, supported: str) -> ApiError:
    """A `Stripe-Version` the sandbox cannot render (Stripe's wording, then why)."""
    message = (
        f"Invalid Stripe API version: {version}. The sandbox renders only API version "
        f"{supported}; omit the Stripe-Version header or send {supported}."
    )
    return ApiError(400, message)


def invalid_empty(param: str) -> ApiError:
    message = (
        f"You passed an empty string for '{param}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{param}' cannot be unset. You should remove '{param}' "
        "from your request or supply a non-empty value."
    )
    return ApiError(400, message, code="parameter_invalid_empty", param=param)


def invalid_api_key(key: str | None) -> ApiError:
    if not key:
        message = (
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth "
            "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        )
    else:
        message = f"Invalid API Key provided: {key[:8]}{'*' * max(len(key) - 12, 0)}{key[-4:]}"
    return ApiError(401, message)


def account_invalid(key: str, account: str) -> ApiError:
    message = (
        f"The provided key '{key[:8]}***{key[-4:]}' does not have access to account "
        f"'{account}' (or that account does not exist). Application access may have been revoked."
    )
    return ApiError(403, message, code="account_invalid")


def unrecognized_url(method: str, path: str) -> ApiError:
    message = (
        f"Unrecognized request URL ({method}: {path}). The sandbox is read-only: it answers "
        f"GET list and retrieve requests. Please see {DOCS}."
    )
    return ApiError(404, message)


def rate_limited() -> ApiError:
    message = (
        "Request rate limit exceeded. You can learn more about rate limits here "
        f"{DOCS}/rate-limits."
    )
    return ApiError(429, message, code="rate_limit")


def api_error() -> ApiError:
    return ApiError(
        500,
        "An unknown error occurred while processing this request (injected by the sandbox).",
        type="api_error",
    )
