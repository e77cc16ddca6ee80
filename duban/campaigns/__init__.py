"""Special campaigns with targets, and public pledges (专项整治, 惠民实事)."""
