"""The territory: the TERYT TERC register and gmina boundaries."""
