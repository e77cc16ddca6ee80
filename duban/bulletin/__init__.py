"""Monthly bulletins as .docx and PDF, and rankings as .xlsx (通报)."""
