"""Drafts attached to an assessment: read, split into citable units, quoted, and followed from round
to round. Plain Python over the report models; nothing here imports textual."""
