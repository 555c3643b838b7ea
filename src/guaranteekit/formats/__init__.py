"""The file formats and how they are read, written, digested and found."""
