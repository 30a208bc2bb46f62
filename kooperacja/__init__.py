"""Kooperacja: the ROPS dashboard of the inter-institutional cooperation model."""
