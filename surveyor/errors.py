"""The one exception type users see: its message is a single actionable line."""


class SurveyorError(Exception):
    """A problem the user can act on (bad input, missing store, unreachable endpoint)."""


class NotFound(SurveyorError):
    """What was asked for (a paper, a saved chat) is not in the store."""
