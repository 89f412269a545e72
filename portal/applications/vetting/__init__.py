"""The security screening room: recruiters send an application to the vetting authority,
security officers record its outcome (an unfavourable one confirmed by a second officer,
then the application is refused on the security ground), candidates see only whether it
is in progress or done. Selection and the waitlist wait for a favourable outcome
(workflow's guards)."""
