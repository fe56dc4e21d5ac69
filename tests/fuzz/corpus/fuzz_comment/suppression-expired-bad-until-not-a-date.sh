#!/bin/sh
# plumb:ignore secrets/token until=2027-02-30 -- sandbox key of the demo account
export STRIPE_KEY=sk_live_51HxQ2eLkqR9Tz8VbN3mW7pJ4cY6dF0gA2sK5hU8
