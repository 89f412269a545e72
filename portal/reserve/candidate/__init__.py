"""The candidate's and reservist's side of the Reserve."""
