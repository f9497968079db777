"""stripe-warehouse, in flow order: Stripe → extract → raw → events → staging → marts → serving."""
