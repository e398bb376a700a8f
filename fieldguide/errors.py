"""The small error hierarchy; the CLI and the app turn these into one-line messages."""


class FieldGuideError(Exception):
    """Base class for every error Field Guide reports to a user."""


class DocumentError(FieldGuideError):
    """A single file could not be read; it is skipped and the rest are indexed."""


class IndexNotFound(FieldGuideError):
    """There is no built index where one was expected."""


class IndexMismatch(FieldGuideError):
    """The index on disk is corrupt, or was built with a different model or settings."""
