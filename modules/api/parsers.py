from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), safe against deep nesting.

    Python's JSON decoder raises RecursionError, not ValueError, on a document nested deeper than
    the interpreter's recursion limit (`[[[[…]]]]` 100 000 levels deep): DRF let it through as a
    500. It is a 400 `parse_error` here, like any other malformed body.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc
