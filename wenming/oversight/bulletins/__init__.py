"""Bulletins (通报, R7): the figures, the draft, the 公文 Word document. See
`docs/oversight.md`."""
