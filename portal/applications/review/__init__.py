"""The recruiter's room: the queue, one application and the actions on it, the dashboard."""
