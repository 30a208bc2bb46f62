"""The cooperation network of each gmina (issue 17): diagnosis, survey waves, network measures."""
