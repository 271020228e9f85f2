"""The one exception a refusal raises: its message says what is wrong and what to do."""


class Refused(Exception):
    """Nothing was written; the message is printed as is and the exit status is 2."""
