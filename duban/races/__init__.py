"""Indicator races between districts (赛马)."""
