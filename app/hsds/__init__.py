"""Open Referral HSDS 3.0: the catalogue as the standard's objects (read API, dump) and
an HSDS feed read into the catalogue through the one write path. No FastAPI here."""
