"""The programme: pilot gminy, harmonogram, step events, PZK, alerts and the overview."""
