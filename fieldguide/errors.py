"""The small error hierarchy; the CLI and the app turn these into one-line messages."""


class FieldGuideError(Exception):
    """Base class for every error Field Guide reports to a user."""


class DocumentError(FieldGuideError):
    """A single file could not be read; it is skipped and the rest are indexed.

    `kind` (a `problems.Kind` value) says what went wrong, so advice never depends on wording.
    """

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.kind = kind


class IndexNotFound(FieldGuideError):
    """There is no built index where one was expected."""


class IndexMismatch(FieldGuideError):
    """The index on disk is corrupt, or was built with a different model or settings."""
