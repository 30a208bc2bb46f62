"""Plot builders, DataFrame -> go.Figure."""
