"""International files: EU legislation and funding, trade, acquisition, strategic
dependencies and alliances, with their deadlines (/internationaal/)."""
