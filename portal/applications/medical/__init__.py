"""Medical staff's room: the applications whose medical test is pending, an application's
health answers (each view audited) and the medical test recorded as fit or unfit with a
reason. No other role reads health answers; recruiters see fit / unfit / pending."""
