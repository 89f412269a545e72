"""The candidate's room: information sessions, the application steps, status, offer."""
