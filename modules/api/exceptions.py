"""One JSON shape for every error the API returns (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]).

    {"status": 400, "code": "invalid", "detail": "Invalid input.",
     "errors": {"name": ["This field is required."]}}

`code` is stable and meant for programs, `detail` is for people; `errors` (validation errors
only) maps each field, or "non_field_errors", to its messages. Headers set by DRF, such as
Retry-After on 429 and WWW-Authenticate on 401, are kept.

Services raise Django's exceptions (ValidationError, PermissionDenied, Http404), whoever calls
them; this handler turns them into API errors once, so endpoints do not catch them one by one.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API error (a bug): Django logs it and answers 500.
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response.data = error_body(exc, response.status_code)
    return response


def validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError (a model's full_clean(), for instance) as DRF's: messages by
    field name, and those not tied to a field under "non_field_errors"."""
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    errors = exc.message_dict
    if NON_FIELD_ERRORS in errors:
        errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(errors)


def error_body(exc: exceptions.APIException, status: int) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return {
            "status": status,
            "code": "invalid",
            "detail": "Invalid input.",
            "errors": errors,
        }
    detail = exc.detail
    return {
        "status": status,
        "code": getattr(detail, "code", None) or exc.default_code,
        "detail": str(detail),
    }
