"""duban (督办): every matter has an owner, a clock and a verdict."""
