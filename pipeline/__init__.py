"""stripe-warehouse: Stripe → extract → raw → staging → marts → serving."""
