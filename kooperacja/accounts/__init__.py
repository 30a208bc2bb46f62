"""Application users and the login throttle."""
