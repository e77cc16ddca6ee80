"""Counters per unit per day, the three rates and fair rankings (三率, 排名)."""
