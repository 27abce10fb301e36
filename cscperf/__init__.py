"""cscperf: children's social care performance reporting from Frameworki extracts."""

__version__ = "0.1.0"
