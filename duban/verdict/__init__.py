"""Call-backs, ratings, appeals and rectifications (回访, 好差评, 申诉复核)."""
