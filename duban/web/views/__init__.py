"""The views, by who uses them: public (citizens), account (logging in, home), work (handlers'
queue and the ticket page), hotline (dispatchers), oversight (supervisors and leaders)."""
