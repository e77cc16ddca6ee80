"""Inspection rounds, visits, findings and suggestions (督导检查, 暗访, 踏查, 走访)."""
