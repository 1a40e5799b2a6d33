"""The command-line face: parses options, calls analyses, renders results."""
