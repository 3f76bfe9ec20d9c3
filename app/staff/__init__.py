"""Staff: accounts and passwords, signed-in sessions, sign-in throttling, API tokens
and form tokens (CSRF). Plain Python over a database session; no FastAPI here."""
