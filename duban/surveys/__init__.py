"""Review surveys and questionnaires, anonymous where promised (评议, 问卷)."""
