package migrations

// A Go migration: Steward lists it as a gap in the model.
