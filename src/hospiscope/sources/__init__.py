"""Sources: readers and validators for the real file formats of the French public sources.

A reader turns a file into typed records plus a list of `Issue`s (file, line, column, reason);
it never touches the warehouse. Writing is the warehouse layer's job.
"""
