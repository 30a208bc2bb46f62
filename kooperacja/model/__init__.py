"""The pure model: records, rules, access, disclosure, privacy, vocabularies, errors, formats."""
