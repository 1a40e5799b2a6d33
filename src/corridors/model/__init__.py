"""The model layer: schema, validated network, scenarios and compiled graphs."""
