"""annotator: code press-conference transcripts, merge coders, measure agreement, export."""

__version__ = "0.1.0"
