"""Field Guide: offline semantic search and cited answers over an organisation's documents."""

__version__ = "0.1.0"
