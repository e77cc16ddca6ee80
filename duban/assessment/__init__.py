"""Assessment schemes, monthly scores, red and black lists, reflections (考核, 晾晒)."""
