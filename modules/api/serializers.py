from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every error response of the API."""

    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(
        help_text="Stable, machine-readable reason, e.g. not_authenticated, invalid_api_key, "
        "expired_api_key, revoked_api_key, permission_denied, not_found, throttled, invalid."
    )
    detail = serializers.CharField(help_text="Human-readable explanation.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Validation errors only: messages per field, or under non_field_errors.",
    )
