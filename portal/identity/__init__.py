"""Login through the federal authentication service (FAS: eID, itsme) by OpenID Connect."""
